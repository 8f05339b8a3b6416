import Hummingbird

/// The outermost middleware: whatever goes wrong, the client gets a JSON error object.
struct TrackerErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as TrackerAPIError {
            return error.response()
        } catch let error as HTTPError {
            // The router's "no such endpoint", the body-size limit, and the like.
            if error.status == .notFound { return TrackerAPIError.routeNotFound.response() }
            return TrackerAPIError.other(error.status).response()
        } catch {
            return TrackerAPIError.other(.internalServerError).response()
        }
    }
}
