import ArgumentParser
import SolmuCLI

await SolmuCommand.main()
