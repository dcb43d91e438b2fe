/// The connections of one event loop, indexed by file descriptor, with intrusive deadline lists.
///
/// Each list holds the connections waiting on one kind of timeout. All timeouts of a kind have
/// the same length and are set at the current time, so appending keeps a list sorted by deadline:
/// setting, moving and expiring a timer is O(1), with no heap and no allocation.
struct ConnectionTable: ~Copyable {
    private(set) var slots: UnsafeMutablePointer<ConnectionSlot>
    private(set) var capacity: Int
    private let emptyMachine: HTTPConnectionStateMachine
    private var heads: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
    private var tails: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)

    init(initialCapacity: Int, emptyMachine: HTTPConnectionStateMachine) {
        self.capacity = initialCapacity
        self.emptyMachine = emptyMachine
        slots = .allocate(capacity: initialCapacity)
        slots.initialize(repeating: ConnectionSlot(machine: emptyMachine), count: initialCapacity)
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
    }

    /// The slot of `descriptor`. The pointer is valid until the table grows (`makeSlot`).
    func slot(_ descriptor: Int32) -> UnsafeMutablePointer<ConnectionSlot>? {
        guard descriptor >= 0, Int(descriptor) < capacity else { return nil }
        return slots + Int(descriptor)
    }

    /// Prepares the slot for a newly accepted descriptor, growing the table if needed.
    mutating func makeSlot(
        for descriptor: Int32, peer: IPAddress, machine: HTTPConnectionStateMachine
    ) -> UnsafeMutablePointer<ConnectionSlot> {
        if Int(descriptor) >= capacity { grow(toInclude: Int(descriptor)) }
        let slot = slots + Int(descriptor)
        slot.pointee.descriptor = descriptor
        slot.pointee.phase = .open
        slot.pointee.closeWithoutLingering = false
        slot.pointee.interest = .readable
        slot.pointee.registered = false
        slot.pointee.noDelay = false
        slot.pointee.machine = machine
        slot.pointee.peer = peer
        slot.pointee.pendingOutputOffset = 0
        return slot
    }

    /// Forgets a closed descriptor's connection and frees its buffers.
    mutating func release(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        unlink(slot)
        slot.pointee.descriptor = -1
        slot.pointee.phase = .closed
        slot.pointee.generation &+= 1
        slot.pointee.pendingInput = []
        slot.pointee.pendingOutput = []
        slot.pointee.pendingOutputOffset = 0
    }

    private mutating func grow(toInclude descriptor: Int) {
        var newCapacity = capacity * 2
        while newCapacity <= descriptor { newCapacity *= 2 }
        let replacement = UnsafeMutablePointer<ConnectionSlot>.allocate(capacity: newCapacity)
        replacement.moveInitialize(from: slots, count: capacity)
        (replacement + capacity).initialize(
            repeating: ConnectionSlot(machine: emptyMachine), count: newCapacity - capacity)
        slots.deallocate()
        slots = replacement
        capacity = newCapacity
    }

    // MARK: Deadline lists

    /// The first connection of a list: the one whose deadline comes first.
    func first(in list: ConnectionSlot.TimerList) -> UnsafeMutablePointer<ConnectionSlot>? {
        let descriptor = head(list)
        return descriptor < 0 ? nil : slots + Int(descriptor)
    }

    /// The connection after `slot` in its list.
    func following(_ slot: UnsafeMutablePointer<ConnectionSlot>) -> UnsafeMutablePointer<ConnectionSlot>? {
        let descriptor = slot.pointee.next
        return descriptor < 0 ? nil : slots + Int(descriptor)
    }

    /// Moves `slot` to the end of `list` with `deadline`; `.none` only removes it from its list.
    mutating func schedule(_ slot: UnsafeMutablePointer<ConnectionSlot>, in list: ConnectionSlot.TimerList, deadline: MonotonicTime) {
        if slot.pointee.timerList == list, slot.pointee.timerDeadline == deadline { return }
        unlink(slot)
        guard list != .none else { return }
        let descriptor = slot.pointee.descriptor
        slot.pointee.timerList = list
        slot.pointee.timerDeadline = deadline
        slot.pointee.previous = tail(list)
        slot.pointee.next = -1
        if tail(list) >= 0 {
            slots[Int(tail(list))].next = descriptor
        } else {
            setHead(list, descriptor)
        }
        setTail(list, descriptor)
    }

    mutating func unlink(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        let list = slot.pointee.timerList
        guard list != .none else { return }
        let previous = slot.pointee.previous
        let next = slot.pointee.next
        if previous >= 0 { slots[Int(previous)].next = next } else { setHead(list, next) }
        if next >= 0 { slots[Int(next)].previous = previous } else { setTail(list, previous) }
        slot.pointee.timerList = .none
        slot.pointee.timerDeadline = .never
        slot.pointee.previous = -1
        slot.pointee.next = -1
    }

    private func head(_ list: ConnectionSlot.TimerList) -> Int32 {
        switch list {
        case .idle: heads.0
        case .request: heads.1
        case .drain: heads.2
        case .linger: heads.3
        case .none: -1
        }
    }

    private func tail(_ list: ConnectionSlot.TimerList) -> Int32 {
        switch list {
        case .idle: tails.0
        case .request: tails.1
        case .drain: tails.2
        case .linger: tails.3
        case .none: -1
        }
    }

    private mutating func setHead(_ list: ConnectionSlot.TimerList, _ value: Int32) {
        switch list {
        case .idle: heads.0 = value
        case .request: heads.1 = value
        case .drain: heads.2 = value
        case .linger: heads.3 = value
        case .none: break
        }
    }

    private mutating func setTail(_ list: ConnectionSlot.TimerList, _ value: Int32) {
        switch list {
        case .idle: tails.0 = value
        case .request: tails.1 = value
        case .drain: tails.2 = value
        case .linger: tails.3 = value
        case .none: break
        }
    }
}
