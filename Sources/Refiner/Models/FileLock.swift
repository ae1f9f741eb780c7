import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock on a file (`flock`), so two refine processes never install
/// the same model or build the same llama-server at once (one would delete the
/// other's temporary files). Waiting polls without blocking a thread.
final class FileLock: @unchecked Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock at `url`, creating the file; logs once through
    /// `onWait` if another process holds it, then waits for it.
    static func acquire(_ url: URL, onWait: @Sendable () -> Void = {}) async throws -> FileLock {
        let descriptor = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ModelError("cannot open lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw ModelError("cannot lock \(url.path): \(String(cString: strerror(code)))")
            }
            if !announced {
                onWait()
                announced = true
            }
            do {
                try await Task.sleep(for: .milliseconds(250))
            } catch {
                close(descriptor)
                throw error
            }
        }
        return FileLock(descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
