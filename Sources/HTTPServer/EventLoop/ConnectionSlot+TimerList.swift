extension ConnectionSlot.TimerList {
    init(_ kind: HTTPConnectionStateMachine.TimeoutKind) {
        switch kind {
        case .idle: self = .idle
        case .request: self = .request
        case .drain: self = .drain
        case .none: self = .none
        }
    }

    static let all: [ConnectionSlot.TimerList] = [.request, .idle, .drain, .linger]
}
