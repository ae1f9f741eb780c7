import CompressNIO
import Foundation
import NIOCore

/// A PNG screenshot decoded to RGBA pixels (8-bit RGB or RGBA, not
/// interlaced: what Chromium writes), so a test can look for the report's
/// chart colours where the charts should be.
struct PNGImage {
    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    /// Row-major RGBA.
    private(set) var pixels: [UInt8]

    init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw DecodeError(description: "not a PNG file")
        }
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        var offset = 8
        var width = 0
        var height = 0
        var channels = 0
        var compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = (offset + 8)..<(offset + 8 + length)
            guard body.upperBound <= bytes.count else { throw DecodeError(description: "chunk \(type) runs past the end") }
            switch type {
            case "IHDR":
                width = u32(body.lowerBound)
                height = u32(body.lowerBound + 4)
                let depth = bytes[body.lowerBound + 8]
                let colorType = bytes[body.lowerBound + 9]
                let interlace = bytes[body.lowerBound + 12]
                guard depth == 8, colorType == 2 || colorType == 6, interlace == 0 else {
                    throw DecodeError(description: "unsupported PNG: depth \(depth), colour type \(colorType), interlace \(interlace)")
                }
                channels = colorType == 6 ? 4 : 3
            case "IDAT":
                compressed += bytes[body]
            default:
                break
            }
            offset = body.upperBound + 4
        }
        guard width > 0, height > 0 else { throw DecodeError(description: "no image header") }
        var input = ByteBuffer(bytes: compressed)
        let stride = width * channels
        let raw = try input.decompress(with: .zlib(), maxSize: (stride + 1) * height + 1024)
        let filtered = Array(raw.readableBytesView)
        guard filtered.count >= (stride + 1) * height else {
            throw DecodeError(description: "image data is \(filtered.count) bytes, expected \((stride + 1) * height)")
        }
        // Undo the per-row filters (None, Sub, Up, Average, Paeth).
        var image = [UInt8](repeating: 0, count: stride * height)
        image.withUnsafeMutableBufferPointer { out in
            filtered.withUnsafeBufferPointer { input in
                for row in 0..<height {
                    let filter = input[row * (stride + 1)]
                    let source = row * (stride + 1) + 1
                    let target = row * stride
                    for column in 0..<stride {
                        let x = Int(input[source + column])
                        let a = column >= channels ? Int(out[target + column - channels]) : 0
                        let b = row > 0 ? Int(out[target - stride + column]) : 0
                        let c = row > 0 && column >= channels ? Int(out[target - stride + column - channels]) : 0
                        let value: Int
                        switch filter {
                        case 1: value = x + a
                        case 2: value = x + b
                        case 3: value = x + (a + b) / 2
                        case 4:
                            let p = a + b - c
                            let pa = abs(p - a)
                            let pb = abs(p - b)
                            let pc = abs(p - c)
                            value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
                        default: value = x
                        }
                        out[target + column] = UInt8(truncatingIfNeeded: value)
                    }
                }
            }
        }
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for index in 0..<(width * height) {
            for channel in 0..<3 {
                rgba[index * 4 + channel] = image[index * channels + channel]
            }
        }
        self.width = width
        self.height = height
        self.pixels = rgba
    }

    /// Where pixels of one colour are: how many, and how many per row.
    struct ColorCensus {
        var count = 0
        var rowCounts: [Int]

        /// The first and last row holding at least `minimum` pixels of the
        /// colour: where its bars are, ignoring text and small keys.
        func rows(holdingAtLeast minimum: Int) -> ClosedRange<Int>? {
            guard let first = rowCounts.firstIndex(where: { $0 >= minimum }),
                let last = rowCounts.lastIndex(where: { $0 >= minimum })
            else { return nil }
            return first...last
        }
    }

    /// Counts, in one pass, the pixels within `tolerance` of each colour
    /// (`#rrggbb`) in every channel.
    func census(_ colors: [String], tolerance: Int = 3) -> [String: ColorCensus] {
        let targets = colors.map { hex -> (Int, Int, Int) in
            let value = Int(hex.dropFirst(), radix: 16) ?? 0
            return (value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF)
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: height), count: colors.count)
        pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                for x in 0..<width {
                    let at = (y * width + x) * 4
                    let r = Int(pixels[at])
                    let g = Int(pixels[at + 1])
                    let b = Int(pixels[at + 2])
                    for (index, target) in targets.enumerated()
                    where abs(r - target.0) <= tolerance && abs(g - target.1) <= tolerance && abs(b - target.2) <= tolerance {
                        counts[index][y] += 1
                    }
                }
            }
        }
        var result: [String: ColorCensus] = [:]
        for (index, color) in colors.enumerated() {
            result[color] = ColorCensus(count: counts[index].reduce(0, +), rowCounts: counts[index])
        }
        return result
    }
}
