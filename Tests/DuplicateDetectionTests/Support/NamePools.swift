/// Names for generated customers: Finnish first, with Swedish, other Nordic, English and German
/// names mixed in. Earlier entries are drawn more often (Zipf-like weights).
enum NamePools {
    static let women = [
        "Maria", "Anna", "Helena", "Johanna", "Kristiina", "Sofia", "Aino", "Emilia", "Liisa", "Marja",
        "Elina", "Katariina", "Sari", "Tuula", "Päivi", "Anne", "Minna", "Tiina", "Leena", "Hanna",
        "Pirjo", "Riitta", "Eeva", "Sanna", "Laura", "Satu", "Anu", "Heidi", "Kaisa", "Elisabet",
        "Jenni", "Susanna", "Karoliina", "Pauliina", "Noora", "Ella", "Venla", "Aada", "Iida", "Lotta",
        "Kerttu", "Siiri", "Helmi", "Ilona", "Linnea", "Vilma", "Oona", "Saara", "Ronja", "Milla",
        "Birgitta", "Ingrid", "Åsa", "Karin", "Ulla", "Margareta", "Cecilia", "Elizabeth", "Katherine", "Margaret",
        "Rebecca", "Victoria", "Jennifer", "Patricia", "Barbara", "Julia", "Mathilda", "Sigrid", "Märta", "Hedvig",
        "Tuulikki", "Hillevi", "Raija", "Seija", "Marjatta", "Sirpa", "Merja", "Outi", "Kirsi", "Terhi",
    ]
    static let men = [
        "Juhani", "Johannes", "Mikael", "Olavi", "Antero", "Tapani", "Matti", "Kalevi", "Timo", "Pekka",
        "Jari", "Mikko", "Juha", "Antti", "Markku", "Petri", "Kari", "Heikki", "Jukka", "Ville",
        "Matias", "Aleksi", "Joonas", "Elias", "Onni", "Eino", "Väinö", "Leevi", "Veeti", "Niilo",
        "Kristian", "Tuomas", "Henrik", "Sami", "Janne", "Lauri", "Eero", "Risto", "Seppo", "Hannu",
        "William", "Robert", "Alexander", "Thomas", "Richard", "Stephen", "Edward", "Frederick", "Nicholas", "Daniel",
        "Erik", "Lars", "Anders", "Gustav", "Björn", "Håkan", "Sören", "Jörgen", "Olof", "Per",
        "Kristoffer", "Sebastian", "Tobias", "Samuel", "Oskar", "Emil", "Viktor", "Anton", "Arttu", "Konsta",
        "Ilmari", "Toivo", "Reijo", "Raimo", "Esa", "Ismo", "Jouko", "Arto", "Vesa", "Harri",
    ]
    static let families = [
        "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen",
        "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen",
        "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen",
        "Hiltunen", "Hirvonen", "Pitkänen", "Miettinen", "Aaltonen", "Ojala", "Väisänen", "Manninen", "Leinonen", "Kemppainen",
        "Kallio", "Kettunen", "Hakala", "Hyvönen", "Peltonen", "Anttila", "Räsänen", "Lindholm", "Lindqvist", "Nyström",
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
        "Sjöberg", "Åberg", "Öhman", "Holmström", "Lindberg", "Björklund", "Sundström", "Granström", "Ekström", "Forsström",
        "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
        "Hansen", "Jensen", "Nielsen", "Pedersen", "Olsen", "Jääskeläinen", "Pääkkönen", "Könönen", "Ylönen", "Kärkkäinen",
    ]
    /// Stems and endings for the long tail of family names (about 900 more).
    static let stems = [
        "Koski", "Lahti", "Mäki", "Järvi", "Salmi", "Niemi", "Saari", "Lehto", "Ranta", "Kangas",
        "Vuori", "Laakso", "Harju", "Kallio", "Metsä", "Pelto", "Suo", "Aho", "Hirvi", "Karhu",
        "Kivi", "Lampi", "Joki", "Ojan", "Rinne", "Paju", "Tammi", "Kuusi", "Koivu", "Haapa",
        "Leppä", "Pihla", "Kataja", "Halla", "Routa", "Sula", "Tuuli", "Kaski", "Nurmi", "Ahti",
        "Syrjä", "Kuja", "Mylly", "Sauna", "Talo", "Pirtti", "Kota", "Verkko", "Ilves", "Susi",
        "Kontio", "Kettu", "Jänis", "Orava", "Majava", "Lohi", "Hauki", "Ahven", "Sorsa", "Joutsen",
        "Kurki", "Haukka", "Kotka", "Pöllö", "Tikka", "Varis", "Harakka", "Kyyhky", "Peippo", "Sirkka",
        "Halo", "Hela", "Hovi", "Kaira", "Kenttä", "Lumi", "Mänty", "Niitty", "Palo", "Rauta",
    ]
    static let endings = ["nen", "la", "lä", "mäki", "aho", "vaara", "salo", "niemi", "lahti", "koski", "järvi", "oja"]
}
