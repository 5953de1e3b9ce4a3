import SolmuCLI

await SolmuCommand.runFromCommandLine()
