// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "refine",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "Refiner", targets: ["Refiner"]),
        .executable(name: "refine", targets: ["refine-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CSeccomp",
            linkerSettings: [.linkedLibrary("seccomp")]
        ),
        .target(
            name: "Sandbox",
            dependencies: [
                "CSeccomp",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Resources/harness.py")]
        ),
        .target(
            name: "Refiner",
            dependencies: [
                "Sandbox",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .executableTarget(
            name: "refine-cli",
            dependencies: [
                "Sandbox",
                "Refiner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: ["Sandbox"]
        ),
        .testTarget(
            name: "RefinerTests",
            dependencies: [
                "Refiner",
                "Sandbox",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
