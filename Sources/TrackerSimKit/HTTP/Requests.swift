import Foundation
import Hummingbird

// What the simulator reads from requests: the posted source commit and the fields parameter.

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

/// The `source_commit` object of a `POST /source_commits` body, once validated.
public struct PostedSourceCommit: Sendable, Equatable {
    /// The commit SHA (`commit_id`); it becomes each comment's `commit_identifier`.
    public let commitID: String
    public let message: String
    public let url: String?
    public let author: String?

    public init(commitID: String, message: String, url: String? = nil, author: String? = nil) {
        self.commitID = commitID
        self.message = message
        self.url = url
        self.author = author
    }

    /// The comment text: the message, then the URL on its own line when there is one.
    var commentText: String {
        guard let url, !url.isEmpty else { return message }
        return message.hasSuffix("\n") ? message + url : message + "\n" + url
    }
}

/// The `fields` query parameter of a Tracker v5 request, as far as the simulator reads it: the
/// top-level names, each with its nested field list (`comments(commit_identifier)`) set aside.
/// Tracker's own answers include only what is asked for; the simulator always answers the default
/// fields and adds the nested resources named here.
struct FieldSelection: Equatable {
    /// The top-level names, nested lists removed (`:default`, `comments`, …).
    let names: [String]

    init(_ parameter: String?) {
        var names: [String] = []
        var current = ""
        var depth = 0
        for character in parameter ?? "" {
            switch character {
            case "(":
                depth += 1
            case ")":
                depth = max(0, depth - 1)
            case "," where depth == 0:
                names.append(current)
                current = ""
            default:
                if depth == 0 { current.append(character) }
            }
        }
        names.append(current)
        self.names = names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether `name` is asked for (bare or with a nested list).
    func includes(_ name: String) -> Bool {
        names.contains(name)
    }
}
