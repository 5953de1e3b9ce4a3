// `solmu-benchmark`: seeds a database through `solmu import`, serves it with `solmu serve` and
// measures the HTTP surface with wrk. It drives both as processes and links none of Solmu's modules,
// so it measures exactly the binary that ships.
import ArgumentParser

SolmuBenchmarkCommand.main()
