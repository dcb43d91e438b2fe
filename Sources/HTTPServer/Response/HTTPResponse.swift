/// The response an `HTTPHandler` fills in. The server adds the framing and the headers every
/// response carries (`Content-Length`, `Date`, `Connection`, the configured default headers) and
/// leaves out the body for `HEAD`. One instance per event loop is reused for every request.
public struct HTTPResponse: ~Copyable {
    public var status: HTTPStatus = .ok
    /// The `Content-Type` value.
    public var contentType: StaticString = "application/json"
    /// Extra header lines, each `Name: value\r\n`.
    public var headerLines = ByteBuffer(capacity: 256)
    public var body = ByteBuffer(capacity: 1024)

    public init() {}

    /// Resets for the next request, keeping the buffers' capacity.
    mutating func reset() {
        status = .ok
        contentType = "application/json"
        headerLines.removeAll()
        body.removeAll()
    }

    /// Adds `name: value\r\n`. The value must already be a valid field value.
    public mutating func addHeader(_ name: StaticString, _ value: UnsafeRawBufferPointer) {
        headerLines.append(name)
        headerLines.append(": ")
        headerLines.append(value)
        headerLines.append("\r\n")
    }

    /// Makes this an error response with the status's JSON error body.
    public mutating func setError(_ status: HTTPStatus) {
        self.status = status
        contentType = "application/json"
        body.removeAll()
        body.append(status.errorBody)
    }
}
