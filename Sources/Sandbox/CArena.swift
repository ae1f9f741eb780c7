import Glibc

/// C memory that must outlive a fork: strings, arrays and structs handed to
/// the child, which reads them from its copy of our address space. Freed
/// together when the arena goes.
final class CArena: @unchecked Sendable {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations {
            free(pointer)
        }
    }

    func string(_ value: String) -> UnsafeMutablePointer<CChar> {
        let pointer = strdup(value)!
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    func optionalString(_ value: String?) -> UnsafeMutablePointer<CChar>? {
        value.map(string)
    }

    /// A NULL-terminated array of C strings (argv, envp).
    func stringArray(_ values: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = allocate(UnsafeMutablePointer<CChar>?.self, count: values.count + 1)
        for (index, value) in values.enumerated() {
            array[index] = string(value)
        }
        array[values.count] = nil
        return array
    }

    func array<Element>(_ values: [Element]) -> UnsafeMutablePointer<Element>? {
        guard !values.isEmpty else { return nil }
        let pointer = allocate(Element.self, count: values.count)
        pointer.initialize(from: values, count: values.count)
        return pointer
    }

    func bytes(_ values: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let pointer = allocate(CChar.self, count: max(values.count, 1))
        values.withUnsafeBytes { raw in
            if let base = raw.baseAddress {
                UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: values.count)
            }
        }
        return pointer
    }

    /// Uninitialized room for `count` values, from malloc so that one
    /// `free` releases everything the arena holds.
    private func allocate<Element>(_ type: Element.Type, count: Int) -> UnsafeMutablePointer<Element> {
        let raw = malloc(MemoryLayout<Element>.stride * count)!
        allocations.append(raw)
        return raw.bindMemory(to: Element.self, capacity: count)
    }

    /// Takes ownership of memory allocated with malloc elsewhere.
    func adopt(_ pointer: UnsafeMutableRawPointer) {
        allocations.append(pointer)
    }
}
