import Testing

@testable import HTTPServer

@Suite("Connection table deadline lists")
struct ConnectionTableTests {
    func makeTable() -> ConnectionTable {
        let machine = HTTPConnectionStateMachine(
            parser: HTTPRequestParser(), timeouts: HTTPConnectionTimeouts(), now: MonotonicTime(milliseconds: 0))
        return ConnectionTable(initialCapacity: 2, emptyMachine: machine)
    }

    func order(_ table: borrowing ConnectionTable, _ list: ConnectionSlot.TimerList) -> [Int32] {
        var result: [Int32] = []
        var cursor = table.first(in: list)
        while let slot = cursor {
            result.append(slot.pointee.descriptor)
            cursor = table.following(slot)
        }
        return result
    }

    @Test func keepsListsInScheduleOrderAndMovesOnReschedule() {
        var table = makeTable()
        let machine = HTTPConnectionStateMachine(
            parser: HTTPRequestParser(), timeouts: HTTPConnectionTimeouts(), now: MonotonicTime(milliseconds: 0))
        for descriptor in Int32(3)...Int32(7) {
            let slot = table.makeSlot(for: descriptor, peer: .ipv4Loopback, machine: machine)
            table.schedule(slot, in: .idle, deadline: MonotonicTime(milliseconds: Int64(descriptor)))
        }
        #expect(table.capacity >= 8)
        #expect(order(table, .idle) == [3, 4, 5, 6, 7])
        table.schedule(table.slot(4)!, in: .idle, deadline: MonotonicTime(milliseconds: 10))
        #expect(order(table, .idle) == [3, 5, 6, 7, 4])
        table.schedule(table.slot(3)!, in: .request, deadline: MonotonicTime(milliseconds: 11))
        #expect(order(table, .idle) == [5, 6, 7, 4])
        #expect(order(table, .request) == [3])
        table.release(table.slot(6)!)
        #expect(order(table, .idle) == [5, 7, 4])
        table.schedule(table.slot(7)!, in: .none, deadline: .never)
        #expect(order(table, .idle) == [5, 4])
        #expect(table.slot(6)!.pointee.generation == 1)
        #expect(table.slot(6)!.pointee.phase == .closed)
    }
}
