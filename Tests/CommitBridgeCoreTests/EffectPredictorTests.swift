import CommitBridgeCore
import XCTest

final class EffectPredictorTests: XCTestCase {
    private func effect(_ action: StoryAction, _ type: StoryType, _ state: StoryState) -> StoryState? {
        EffectPredictor.newState(for: action, type: type, current: state)
    }

    func testMentionStartsOnlyUnstartedWork() {
        for type in [StoryType.feature, .bug, .chore] {
            for state in [StoryState.unscheduled, .unstarted, .planned] {
                XCTAssertEqual(effect(.mention, type, state), .started, "\(type) \(state)")
            }
            for state in [StoryState.started, .finished, .delivered, .rejected, .accepted] {
                XCTAssertNil(effect(.mention, type, state), "\(type) \(state)")
            }
        }
    }

    func testFinishAndDeliverMoveForwardOnly() {
        for type in [StoryType.feature, .bug] {
            XCTAssertEqual(effect(.finish, type, .unstarted), .finished)
            XCTAssertEqual(effect(.finish, type, .started), .finished)
            XCTAssertEqual(effect(.finish, type, .rejected), .finished)
            XCTAssertNil(effect(.finish, type, .finished))
            XCTAssertNil(effect(.finish, type, .delivered))
            XCTAssertNil(effect(.finish, type, .accepted))
            XCTAssertEqual(effect(.deliver, type, .started), .delivered)
            XCTAssertEqual(effect(.deliver, type, .finished), .delivered)
            XCTAssertEqual(effect(.deliver, type, .rejected), .delivered)
            XCTAssertNil(effect(.deliver, type, .delivered))
            XCTAssertNil(effect(.deliver, type, .accepted))
        }
    }

    func testChoresAreAcceptedAndReleasesNeverMove() {
        XCTAssertEqual(effect(.finish, .chore, .started), .accepted)
        XCTAssertEqual(effect(.deliver, .chore, .unstarted), .accepted)
        XCTAssertNil(effect(.finish, .chore, .accepted))
        for action in StoryAction.allCases {
            for state in StoryState.allCases {
                XCTAssertNil(effect(action, .release, state))
            }
        }
    }
}
