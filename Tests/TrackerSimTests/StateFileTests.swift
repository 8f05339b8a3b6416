import Foundation
import TrackerSimKit
import XCTest

final class StateFileTests: XCTestCase {
    func testSavedStateLoadsBackEqual() async throws {
        let directory = try SimFixtures.temporaryDirectory(for: self)
        let file = StateFile(path: directory.appendingPathComponent("state.json").path)
        XCTAssertFalse(file.exists)
        XCTAssertNil(try file.load())

        let tracker = SimulatedTracker(state: SimFixtures.state, options: SimFixtures.options(autoCreate: true),
                                       stateFile: file)
        let affected = await tracker.apply(PostedSourceCommit(commitID: "abc", message: "[Fixes #555] [#9000]",
                                                              url: "https://git.example/abc"))
        XCTAssertEqual(affected.map(\.id), [555, 9000])

        // Applying saved the file; it holds everything, next comment id included.
        await tracker.flush()
        let saved = try XCTUnwrap(try file.load())
        let live = await tracker.snapshot()
        XCTAssertEqual(saved, live)
        XCTAssertEqual(saved.stories[555]?.currentState, .finished)
        XCTAssertEqual(saved.stories[9000]?.projectID, 99)
        XCTAssertEqual(saved.comments[555]?.map(\.commitIdentifier), ["abc"])
        XCTAssertEqual(saved.nextCommentID, live.nextCommentID)
        XCTAssertEqual(saved.projects.map(\.id), [99, 100])

        // Only the state file is left in the directory: the temporary file was renamed over it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["state.json"])

        // A simulator started from the file goes on where the first stopped.
        let restarted = SimulatedTracker(state: saved, options: SimFixtures.options(), stateFile: file)
        _ = await restarted.apply(PostedSourceCommit(commitID: "abc", message: "[#555]"))
        let stats = await restarted.currentStatistics()
        XCTAssertEqual(stats.duplicateComments, 1, "the loaded comments count for duplicates")
        await restarted.flush()
        let reloaded = try XCTUnwrap(try file.load())
        let ids = try XCTUnwrap(reloaded.comments[555]).map(\.id)
        XCTAssertEqual(ids.count, 2)
        XCTAssertEqual(Set(ids).count, 2, "comment ids continue after a reload")
    }

    func testABurstOfChangesEndsUpWholeInTheFile() async throws {
        let directory = try SimFixtures.temporaryDirectory(for: self)
        let file = StateFile(path: directory.appendingPathComponent("state.json").path)
        let tracker = SimulatedTracker(state: SimFixtures.state, options: SimFixtures.options(autoCreate: true),
                                       stateFile: file)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    _ = await tracker.apply(PostedSourceCommit(commitID: "sha-\(index)", message: "[#\(10_000 + index)]"))
                }
            }
        }
        await tracker.flush()
        let saved = try XCTUnwrap(try file.load())
        let live = await tracker.snapshot()
        XCTAssertEqual(saved, live)
        XCTAssertEqual(saved.comments.values.joined().count, 200)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["state.json"])
    }

    func testAStoryAutoCreatedByALookUpIsSaved() async throws {
        let directory = try SimFixtures.temporaryDirectory(for: self)
        let file = StateFile(path: directory.appendingPathComponent("state.json").path)
        let tracker = SimulatedTracker(state: .empty, options: SimFixtures.options(autoCreate: true), stateFile: file)
        let created = await tracker.lookUpStory(31)
        XCTAssertEqual(created?.projectID, 1)
        await tracker.flush()
        let saved = try XCTUnwrap(try file.load())
        XCTAssertEqual(saved.stories[31], created)
        XCTAssertEqual(saved.projects.map(\.id), [1])
        let live = await tracker.snapshot()
        XCTAssertEqual(saved, live)
    }

    func testTheStateFileWinsOverFixtures() throws {
        let directory = try SimFixtures.temporaryDirectory(for: self)
        let fixtures = directory.appendingPathComponent("fixtures.json")
        try Data(#"{"projects":[{"id":5,"name":"P"}],"stories":[{"id":1,"project_id":5}]}"#.utf8).write(to: fixtures)
        let file = StateFile(path: directory.appendingPathComponent("state.json").path)

        let fromFixtures = try StateFile.initialState(fixturesPath: fixtures.path, stateFile: file)
        XCTAssertEqual(fromFixtures.stories.keys.sorted(), [1])
        let story = try XCTUnwrap(fromFixtures.stories[1])
        XCTAssertEqual(story.storyType, .feature)
        XCTAssertEqual(story.currentState, .unstarted)
        XCTAssertEqual(story.url, "https://tracker.local/story/show/1")

        let saved = SimFixtures.state
        try file.save(saved)
        let fromState = try StateFile.initialState(fixturesPath: fixtures.path, stateFile: file)
        XCTAssertEqual(fromState, saved)
        XCTAssertEqual(fromState.stories.keys.sorted(), [555, 556, 557, 558, 559, 560, 561, 600])
    }

    func testBadFixturesAreReported() throws {
        let directory = try SimFixtures.temporaryDirectory(for: self)
        let duplicate = directory.appendingPathComponent("dup.json")
        try Data(#"{"stories":[{"id":1,"project_id":5},{"id":1,"project_id":5}]}"#.utf8).write(to: duplicate)
        XCTAssertThrowsError(try StateFile.readState(at: duplicate.path)) { error in
            XCTAssertEqual(error as? TrackerStateError, .duplicateStory(1))
        }
        let badType = directory.appendingPathComponent("type.json")
        try Data(#"{"stories":[{"id":1,"project_id":5,"story_type":"epic"}]}"#.utf8).write(to: badType)
        XCTAssertThrowsError(try StateFile.readState(at: badType.path))
        XCTAssertThrowsError(try StateFile.readState(at: directory.appendingPathComponent("missing.json").path))
    }
}
