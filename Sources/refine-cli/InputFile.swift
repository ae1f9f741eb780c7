import Foundation

/// Reads a user's input file, or fails with one line that names the file
/// and the problem.
enum InputFile {
    static func text(at path: String, role: String, allowEmpty: Bool = true) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError("\(role) file \(path) does not exist")
        }
        if isDirectory.boolValue {
            throw UsageError("\(role) file \(path) is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("\(role) file \(path) cannot be read (permission denied?)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(in: data)
            throw UsageError("\(role) file \(path) is not valid UTF-8 (invalid byte at offset \(offset))")
        }
        if !allowEmpty && text.allSatisfy(\.isWhitespace) {
            throw UsageError("\(role) file \(path) is empty")
        }
        return text
    }

    private static func firstInvalidUTF8Offset(in data: Data) -> Int {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }
}
