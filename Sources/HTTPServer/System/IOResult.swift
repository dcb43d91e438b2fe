/// The outcome of an operation on a non-blocking descriptor.
public enum IOResult<Value> {
    case done(Value)
    /// EAGAIN/EWOULDBLOCK: try again once epoll says the descriptor is ready.
    case wouldBlock
}
