/// Least-significant-digit radix sort of 64-bit keys with a payload; stable, so payloads that
/// were ascending stay ascending within a key.
enum RadixSort {
    static func sort(keys: inout [UInt64], values: inout [UInt32]) {
        let count = keys.count
        guard count > 1 else { return }
        var keyBuffer = [UInt64](repeating: 0, count: count)
        var valueBuffer = [UInt32](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 257)
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            keys.withUnsafeBufferPointer { source in
                values.withUnsafeBufferPointer { sourceValues in
                    keyBuffer.withUnsafeMutableBufferPointer { target in
                        valueBuffer.withUnsafeMutableBufferPointer { targetValues in
                            counts.withUnsafeMutableBufferPointer { counts in
                                counts.update(repeating: 0)
                                for key in source { counts[Int((key >> shift) & 0xFF) + 1] += 1 }
                                for bucket in 0..<256 { counts[bucket + 1] += counts[bucket] }
                                for index in 0..<count {
                                    let key = source[index]
                                    let bucket = Int((key >> shift) & 0xFF)
                                    let position = counts[bucket]
                                    target[position] = key
                                    targetValues[position] = sourceValues[index]
                                    counts[bucket] = position + 1
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keyBuffer)
            swap(&values, &valueBuffer)
        }
    }
}
