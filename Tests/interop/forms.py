"""Reading Solmu's HTML login forms, shared by the interop scripts (standard library only)."""

import html
import re


def hidden_fields(page, action):
    """The hidden inputs of the form posting to `action`, or None when the page has no such form."""
    start = page.find(f'action="{action}"')
    if start < 0:
        return None
    form = page[start:page.find("</form>", start)]
    fields = {}
    for tag in re.findall(r"<input([^>]*)>", form):
        if 'type="hidden"' in tag:
            name = re.search(r' name="([^"]*)"', tag)
            value = re.search(r' value="([^"]*)"', tag)
            if name and value:
                fields[name.group(1)] = html.unescape(value.group(1))
    return fields
