import HTTPTypes
import Hummingbird

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
