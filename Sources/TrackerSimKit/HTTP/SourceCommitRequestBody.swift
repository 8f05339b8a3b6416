import Foundation
import Hummingbird

/// The raw `{"source_commit":{…}}` body, before validation. Every field is optional here so that a
/// missing one becomes a Tracker `invalid_parameter` answer rather than a decoding error.
struct SourceCommitRequestBody: Decodable {
    struct Fields: Decodable {
        let commit_id: String?
        let message: String?
        let url: String?
        let author: String?
    }

    let source_commit: Fields?

    /// Decodes and checks a request body.
    /// - Throws: ``TrackerAPIError`` (400 `invalid_parameter`) naming what is wrong.
    static func validated(from body: ByteBuffer) throws -> PostedSourceCommit {
        guard body.readableBytes > 0 else {
            throw TrackerAPIError.invalidParameter(problem: "The request body is empty.",
                                                   field: "source_commit", fieldProblem: "is required")
        }
        let decoded: SourceCommitRequestBody
        do {
            decoded = try TrackerJSON.decoder.decode(Self.self, from: Data(body.readableBytesView))
        } catch {
            throw TrackerAPIError.invalidParameter(problem: "The request body is not a valid source_commit JSON object.",
                                                   field: "source_commit", fieldProblem: "could not be read")
        }
        guard let fields = decoded.source_commit else {
            throw TrackerAPIError.invalidParameter(problem: "source_commit is missing.",
                                                   field: "source_commit", fieldProblem: "is required")
        }
        guard let commitID = fields.commit_id, !commitID.isEmpty else {
            throw TrackerAPIError.invalidParameter(problem: "source_commit.commit_id is missing or blank.",
                                                   field: "source_commit", fieldProblem: "commit_id is required")
        }
        guard let message = fields.message, !message.isEmpty else {
            throw TrackerAPIError.invalidParameter(problem: "source_commit.message is missing or blank.",
                                                   field: "source_commit", fieldProblem: "message is required")
        }
        return PostedSourceCommit(commitID: commitID, message: message, url: fields.url, author: fields.author)
    }
}
