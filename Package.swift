// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "solmu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "solmu", targets: ["solmu"]),
        .executable(name: "solmu-benchmark", targets: ["SolmuBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // CodedErrors: the one shape of library errors (a code to match on, a reason for people).
        .target(name: "CodedErrors", swiftSettings: swiftSettings),
        // Identifiers: the five identifier kinds, their normalization and validation. Pure, no I/O.
        .target(name: "Identifiers", swiftSettings: swiftSettings),
        // IdentityGraph: customers, links, link rules, the link log and the store protocol. Pure, no I/O.
        .target(
            name: "IdentityGraph",
            dependencies: [
                "Identifiers",
                "VerifiableLog",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Channels: OAuth clients, their permissions and client authentication.
        .target(
            name: "Channels",
            dependencies: [
                "Identifiers",
                "IdentityGraph",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Policies: the reviewable YAML in policies/ turned into domain values.
        .target(
            name: "Policies",
            dependencies: [
                "Identifiers",
                "IdentityGraph",
                "Channels",
                "Messaging",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tokens: signing keys, JWKS, access tokens (RFC 9068).
        .target(
            name: "Tokens",
            dependencies: [
                "CodedErrors",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // CustomerLogin: authorization requests, PKCE, one-time codes, sessions, codes, refresh
        // families and the LoginStore protocol. No I/O.
        .target(
            name: "CustomerLogin",
            dependencies: [
                "Identifiers",
                "IdentityGraph",
                "Channels",
                "Tokens",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Messaging: the outbox and its senders (file, webhook), delivered by a background service.
        .target(
            name: "Messaging",
            dependencies: [
                "CustomerLogin",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // TokenLifecycle: token exchange (RFC 8693), introspection (RFC 7662), revocation (RFC 7009).
        .target(
            name: "TokenLifecycle",
            dependencies: ["Channels", "CustomerLogin", "Identifiers", "IdentityGraph", "Tokens"],
            swiftSettings: swiftSettings
        ),
        // DuplicateDetection: finds customers who may be one person (refused links, loosely equal
        // identifiers, profile similarity) with explainable scores. Pure, no I/O.
        .target(
            name: "DuplicateDetection",
            dependencies: ["Identifiers", "IdentityGraph"],
            swiftSettings: swiftSettings
        ),
        // VerifiableLog: RFC 9162 Merkle trees and proofs, C2SP checkpoints and signed notes for the
        // link log. Pure, no I/O.
        .target(
            name: "VerifiableLog",
            dependencies: ["CodedErrors", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // SQLiteStore: the embedded IdentityStore and LoginStore on GRDB.
        .target(
            name: "SQLiteStore",
            dependencies: [
                "Identifiers",
                "IdentityGraph",
                "CustomerLogin",
                "VerifiableLog",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // PostgresStore: the IdentityStore and LoginStore on PostgreSQL (postgres-nio), for several
        // instances sharing one database.
        .target(
            name: "PostgresStore",
            dependencies: [
                "CodedErrors",
                "Identifiers",
                "IdentityGraph",
                "CustomerLogin",
                "VerifiableLog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // BulkImport: NDJSON customer files through the same rules as the API.
        // JSONScanning: a strict JSON byte reader for fast paths that fall back to JSONDecoder.
        .target(name: "JSONScanning", swiftSettings: swiftSettings),
        // SeededRandom: reproducible pseudo-random numbers for generated data (never for secrets).
        .target(name: "SeededRandom", swiftSettings: swiftSettings),
        .target(
            name: "BulkImport",
            dependencies: ["Identifiers", "IdentityGraph", "JSONScanning"],
            swiftSettings: swiftSettings
        ),
        // SolmuHTTP: the HTTP surface (OAuth, OIDC discovery, Solmu API, health, metrics).
        .target(
            name: "SolmuHTTP",
            dependencies: [
                "Identifiers",
                "IdentityGraph",
                "Channels",
                "Policies",
                "Tokens",
                "CustomerLogin",
                "TokenLifecycle",
                "DuplicateDetection",
                "VerifiableLog",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Templates")],
            swiftSettings: swiftSettings
        ),
        // SolmuCLI: the `solmu` commands (serve, import, channels).
        .target(
            name: "SolmuCLI",
            dependencies: [
                "Identifiers",
                "JSONScanning",
                "IdentityGraph",
                "Channels",
                "Policies",
                "Tokens",
                "SQLiteStore",
                "PostgresStore",
                "BulkImport",
                "SolmuHTTP",
                "CustomerLogin",
                "Messaging",
                "VerifiableLog",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "solmu", dependencies: ["SolmuCLI"], swiftSettings: swiftSettings),
        // The benchmark program: seeds data through `solmu import`, then measures with wrk.
        .executableTarget(
            name: "SolmuBenchmark",
            dependencies: ["SeededRandom", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "CodedErrorsTests", dependencies: ["CodedErrors"], swiftSettings: swiftSettings),
        .testTarget(name: "JSONScanningTests", dependencies: ["JSONScanning"], swiftSettings: swiftSettings),
        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(name: "IdentifiersTests", dependencies: ["Identifiers", "SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(name: "IdentityGraphTests", dependencies: ["IdentityGraph", "Identifiers", "VerifiableLog"], swiftSettings: swiftSettings),
        .testTarget(name: "DuplicateDetectionTests", dependencies: ["DuplicateDetection", "IdentityGraph", "Identifiers", "SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(name: "VerifiableLogTests", dependencies: ["VerifiableLog"], swiftSettings: swiftSettings),
        .testTarget(name: "ChannelsTests", dependencies: ["Channels", "Identifiers", "IdentityGraph"], swiftSettings: swiftSettings),
        .testTarget(name: "PoliciesTests", dependencies: ["Policies", "Channels", "Identifiers", "IdentityGraph"], swiftSettings: swiftSettings),
        .testTarget(name: "TokensTests", dependencies: ["Tokens", "CodedErrors"], swiftSettings: swiftSettings),
        .testTarget(name: "CustomerLoginTests", dependencies: ["CustomerLogin", "Channels", "Identifiers", "IdentityGraph"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MessagingTests",
            dependencies: [
                "Messaging", "CustomerLogin", "SQLiteStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SQLiteStoreTests",
            dependencies: [
                "SQLiteStore", "IdentityGraph", "Identifiers", "VerifiableLog",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "IdentityGraph", "Identifiers", "VerifiableLog", "CodedErrors", "CustomerLogin",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // One conformance suite, run against every IdentityStore backend.
        .testTarget(
            name: "IdentityStoreConformanceTests",
            dependencies: [
                "IdentityGraph", "Identifiers", "CustomerLogin", "SQLiteStore", "PostgresStore", "VerifiableLog",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BulkImportTests", dependencies: ["BulkImport", "IdentityGraph", "Identifiers", "SQLiteStore", "SeededRandom"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SolmuHTTPTests",
            dependencies: [
                "SolmuHTTP", "SQLiteStore", "Policies", "Tokens", "Channels", "IdentityGraph", "Identifiers", "CustomerLogin", "Messaging", "TokenLifecycle", "VerifiableLog",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SolmuCLITests", dependencies: ["SolmuCLI"], swiftSettings: swiftSettings),
    ]
)
