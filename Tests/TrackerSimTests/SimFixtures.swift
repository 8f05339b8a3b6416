import Foundation
import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

/// The fixtures and app builders the simulator tests share.
enum SimFixtures {
    static let token = "test-token"

    /// Project 99 holds one story of each interesting type and state; project 100 holds story 600.
    static var state: TrackerState {
        try! TrackerState(
            projects: [SimulatedProject(id: 99, name: "Demo"), SimulatedProject(id: 100, name: "Other")],
            stories: [
                SimulatedStory(id: 555, projectID: 99, name: "Login", storyType: .feature, currentState: .unstarted),
                SimulatedStory(id: 556, projectID: 99, storyType: .feature, currentState: .started),
                SimulatedStory(id: 557, projectID: 99, storyType: .feature, currentState: .rejected),
                SimulatedStory(id: 558, projectID: 99, storyType: .chore, currentState: .unstarted),
                SimulatedStory(id: 559, projectID: 99, storyType: .release, currentState: .unstarted),
                SimulatedStory(id: 560, projectID: 99, storyType: .feature, currentState: .accepted),
                SimulatedStory(id: 561, projectID: 99, storyType: .bug, currentState: .delivered),
                SimulatedStory(id: 600, projectID: 100, storyType: .bug, currentState: .unscheduled),
            ])
    }

    static func options(tokens: TokenDirectory = TokenDirectory(defaultToken: token), latencyMilliseconds: Int = 0,
                        failRate: Double = 0, rateLimit: Int? = nil, seed: UInt64? = nil,
                        autoCreate: Bool = false) -> SimulatorOptions {
        SimulatorOptions(port: 0, tokens: tokens, latencyMilliseconds: latencyMilliseconds, failRate: failRate,
                         rateLimit: rateLimit, seed: seed, autoCreate: autoCreate)
    }

    static func app(_ options: SimulatorOptions = options(), state: TrackerState = state,
                    stateFile: StateFile? = nil) -> some ApplicationProtocol {
        buildApplication(options: options, tracker: SimulatedTracker(state: state, options: options, stateFile: stateFile))
    }

    static func sourceCommitBody(commitID: String, message: String, url: String? = nil) -> ByteBuffer {
        var fields: [String: String] = ["commit_id": commitID, "message": message, "author": "Ada"]
        fields["url"] = url
        let data = try! JSONSerialization.data(withJSONObject: ["source_commit": fields])
        return ByteBuffer(bytes: data)
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tracker-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
