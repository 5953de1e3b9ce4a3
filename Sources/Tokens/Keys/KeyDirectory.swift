#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX file operations for the `keys/` directory.
///
/// Secret files are created with `O_CREAT | O_EXCL` and mode 0600 in the same system call, so there
/// is no moment at which they exist with looser permissions; they are checked through the open
/// descriptor (`fstat`), so the file checked is the file read.
struct KeyDirectory: Sendable {
    /// The directory path.
    let path: String

    /// The path of a file inside the directory.
    func filePath(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// Whether a file (or anything else) exists at `name`.
    func exists(_ name: String) -> Bool {
        var info = stat()
        return stat(filePath(name), &info) == 0
    }

    /// Creates the directory with mode 0700 if it does not exist (parents with the default mode).
    func createIfNeeded() throws(SigningKeyError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw SigningKeyError(.ioFailure, path: path, reason: "exists and is not a directory")
            }
            return
        }
        // Parents are ordinary directories; only the leaf holds secrets.
        var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in components where !component.isEmpty {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw Self.posixError(path: prefix, action: "cannot create directory")
            }
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw Self.posixError(path: path, action: "cannot create directory")
        }
    }

    /// Creates a new file with mode 0600 holding `contents`; fails if it already exists.
    func createSecretFile(_ name: String, contents: [UInt8]) throws(SigningKeyError) {
        let filePath = filePath(name)
        let fd = open(filePath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.posixError(path: filePath, action: "cannot create file") }
        defer { close(fd) }
        try Self.writeAll(fd, contents, path: filePath)
        guard fsync(fd) == 0 else { throw Self.posixError(path: filePath, action: "cannot sync file") }
    }

    /// Replaces (or creates) `name` atomically: writes a temporary file, syncs it, renames it.
    func replaceFile(_ name: String, contents: [UInt8]) throws(SigningKeyError) {
        let target = filePath(name)
        var suffix = SystemRandomNumberGenerator()
        let temporary = filePath(".\(name).\(String(suffix.next() as UInt64, radix: 36)).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.posixError(path: temporary, action: "cannot create file") }
        do throws(SigningKeyError) {
            try Self.writeAll(fd, contents, path: temporary)
            guard fsync(fd) == 0 else { throw Self.posixError(path: temporary, action: "cannot sync file") }
            close(fd)
            guard rename(temporary, target) == 0 else { throw Self.posixError(path: target, action: "cannot replace file") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        // Make the rename durable.
        let directoryFD = open(path, O_RDONLY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Reads a file; with `secret`, refuses it unless only its owner can read or write it.
    func readFile(_ name: String, secret: Bool) throws(SigningKeyError) -> [UInt8] {
        let filePath = filePath(name)
        let fd = open(filePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw SigningKeyError(.missingFile, path: filePath, reason: "file does not exist") }
            throw Self.posixError(path: filePath, action: "cannot open file")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.posixError(path: filePath, action: "cannot stat file") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SigningKeyError(.ioFailure, path: filePath, reason: "not a regular file")
        }
        if secret && info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw SigningKeyError(
                .insecurePermissions, path: filePath,
                reason: "mode \(mode) lets group or others access a private key; run chmod 600"
            )
        }
        var contents = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.posixError(path: filePath, action: "cannot read file")
            }
            if count == 0 { break }
            contents.append(contentsOf: buffer[0..<count])
            if contents.count > 1 << 20 {
                throw SigningKeyError(.ioFailure, path: filePath, reason: "file is unreasonably large")
            }
        }
        return contents
    }

    /// What identifies one version of a file without reading it: device, inode, size and
    /// modification time. An atomic replace (rename) always changes the inode, so even a rewrite
    /// within the same second and of the same size is noticed.
    struct Fingerprint: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
    }

    /// The fingerprint of `name`, or `nil` if it cannot be stat'ed (missing, unreadable).
    func fingerprint(_ name: String) -> Fingerprint? {
        var info = stat()
        guard stat(filePath(name), &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return Fingerprint(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec)
        )
    }

    /// Removes `name`; a file that is already gone is not an error.
    func removeFile(_ name: String) throws(SigningKeyError) {
        let filePath = filePath(name)
        guard unlink(filePath) == 0 || errno == ENOENT else {
            throw Self.posixError(path: filePath, action: "cannot remove file")
        }
    }

    /// Runs `body` holding an exclusive `flock` on the directory itself, so that two processes
    /// changing the manifest (two `solmu keys rotate`, or one and a first start) do not lose each
    /// other's entries. No lock file is created; the lock ends with the descriptor.
    func withExclusiveLock<T>(_ body: () throws(SigningKeyError) -> T) throws(SigningKeyError) -> T {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.posixError(path: path, action: "cannot open directory") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Self.posixError(path: path, action: "cannot lock directory") }
        }
        return try body()
    }

    private static func writeAll(_ fd: Int32, _ contents: [UInt8], path: String) throws(SigningKeyError) {
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw posixError(path: path, action: "cannot write file")
            }
            offset += written
        }
    }

    private static func posixError(path: String, action: String) -> SigningKeyError {
        let code = errno
        return SigningKeyError(.ioFailure, path: path, reason: "\(action): \(String(cString: strerror(code)))")
    }
}
