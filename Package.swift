// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "refine",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .executable(name: "refine", targets: ["refine-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        .executableTarget(
            name: "refine-cli",
            dependencies: [
                "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: ["Sandbox"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
