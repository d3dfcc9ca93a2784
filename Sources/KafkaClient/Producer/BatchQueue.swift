/// A FIFO of a partition's batches with O(1) removal at the head.
///
/// An `Array` with `removeFirst()` shifts every remaining element, which made acknowledging
/// batches quadratic when many were queued. Elements live in `storage[head...]`; the dead prefix
/// is compacted once it is both long and the larger part. Indices are 0-based from the head.
/// A value type, not thread-safe (guarded by the accumulator's lock).
struct BatchQueue<Element>: RandomAccessCollection, MutableCollection {
    private var storage: [Element] = []
    private var head = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count - head }

    subscript(position: Int) -> Element {
        get { storage[head + position] }
        // In place: a get/set pair would copy the element, and with it the batch's whole
        // encoded-records buffer, on every appended record.
        _modify { yield &storage[head + position] }
    }

    mutating func append(_ element: Element) { storage.append(element) }

    /// Removes and returns the head; the queue must not be empty.
    @discardableResult
    mutating func removeFirst() -> Element {
        let element = storage[head]
        head += 1
        if head >= 64 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    mutating func removeAll() {
        storage.removeAll()
        head = 0
    }
}
