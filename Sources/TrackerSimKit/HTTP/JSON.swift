import Foundation
import HTTPTypes
import Hummingbird

// The JSON the simulator reads and writes.

/// The JSON coders the simulator uses everywhere: ISO 8601 dates (`2024-05-01T12:00:00Z`).
enum TrackerJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // Stable key order (readable state files and diffs); URLs without escaped slashes.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Builds JSON responses: one `ByteBuffer` body with `Content-Length`, so head and body leave in
/// one write, and `Content-Type: application/json`.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let bytes: [UInt8]
        do {
            bytes = Array(try TrackerJSON.encoder.encode(value))
        } catch {
            // Our own types always encode; keep the answer JSON even if one did not.
            bytes = Array(#"{"kind":"error","code":"server_error","error":"The answer could not be encoded."}"#.utf8)
            return Response(status: .internalServerError, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
