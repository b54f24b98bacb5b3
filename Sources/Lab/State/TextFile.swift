import Foundation

/// Replaces a file's contents all at once: readers in other processes see the old text or the new one.
///
/// Foundation's `atomically: true` on Linux stages through a `TemporaryDirectory.*` folder in /tmp that it
/// leaves behind; this writes with POSIX calls beside the target instead (FileManager.createFile is atomic the same way), so nothing outside the lab's own folders is touched.
enum TextFile {
    static func replace(_ path: String, with text: String) throws {
        let staging = "\(path).\(getpid()).tmp"
        let fd = open(staging, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(staging, "creating") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { close(fd); unlink(staging); throw failure(staging, "writing") }
            written += n
        }
        close(fd)
        guard rename(staging, path) == 0 else { unlink(staging); throw failure(path, "renaming into") }
    }

    private static func failure(_ path: String, _ doing: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                 NSLocalizedDescriptionKey: "\(doing) \(path): \(String(cString: strerror(errno)))"])
    }
}
