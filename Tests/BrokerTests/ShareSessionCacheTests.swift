@testable import Broker
import KafkaProtocol
import Testing

/// Share sessions: epochs, full and incremental requests, closing, limits (no sockets).
@Suite struct ShareSessionCacheTests {
    typealias P = ShareSessionCache.Partition
    let p0 = P(topic: "drinks", partition: 0)
    let p1 = P(topic: "drinks", partition: 1)

    @Test func openUpdateAndClose() {
        let cache = ShareSessionCache()
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 0) == .proceed([p0]))
        #expect(cache.session(groupId: "g", memberId: "m")?.epoch == 1)
        // Incremental: add p1 at epoch 1, then forget p0 at epoch 2.
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: 1, adding: [p1], forgetting: [], hasAcknowledgements: true, now: 1) == .proceed([p0, p1]))
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: 2, adding: [], forgetting: [p0], hasAcknowledgements: false, now: 2) == .proceed([p1]))
        #expect(cache.acknowledge(groupId: "g", memberId: "m", epoch: 3, now: 3) == .proceed([p1]))
        #expect(cache.session(groupId: "g", memberId: "m")?.epoch == 4)
        #expect(cache.acknowledge(groupId: "g", memberId: "m", epoch: -1, now: 4) == .closed)
        #expect(cache.count == 0)
    }

    @Test func wrongEpochsAndMissingSessionsAreRefused() {
        let cache = ShareSessionCache()
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: 3, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 0) == .refused(.shareSessionNotFound))
        #expect(cache.acknowledge(groupId: "g", memberId: "m", epoch: 1, now: 0) == .refused(.shareSessionNotFound))
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: -1, adding: [], forgetting: [], hasAcknowledgements: false, now: 0) == .refused(.shareSessionNotFound))
        // Acknowledgements cannot ride on the request that opens a session.
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: true, now: 0) == .refused(.invalidRequest))
        _ = cache.fetch(groupId: "g", memberId: "m", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 0)
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: 5, adding: [p1], forgetting: [], hasAcknowledgements: false, now: 1) == .refused(.invalidShareSessionEpoch))
        #expect(cache.acknowledge(groupId: "g", memberId: "m", epoch: 0, now: 1) == .refused(.invalidShareSessionEpoch))
        // Closing with partitions to fetch is refused.
        #expect(cache.fetch(groupId: "g", memberId: "m", epoch: -1, adding: [p1], forgetting: [], hasAcknowledgements: false, now: 1) == .refused(.invalidRequest))
        // The refusals left the session as it was.
        #expect(cache.session(groupId: "g", memberId: "m") == ShareSessionCache.Session(epoch: 1, partitions: [p0], lastUsedMillis: 0))
        // Another member's session is separate.
        #expect(cache.fetch(groupId: "g", memberId: "other", epoch: 1, adding: [], forgetting: [], hasAcknowledgements: false, now: 1) == .refused(.shareSessionNotFound))
    }

    @Test func reopeningReplacesAndTheLimitHolds() {
        let cache = ShareSessionCache(maxSessions: 2)
        _ = cache.fetch(groupId: "g", memberId: "a", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 0)
        _ = cache.fetch(groupId: "g", memberId: "a", epoch: 1, adding: [p1], forgetting: [], hasAcknowledgements: false, now: 0)
        // Epoch 0 again starts over with only what it names.
        #expect(cache.fetch(groupId: "g", memberId: "a", epoch: 0, adding: [p1], forgetting: [], hasAcknowledgements: false, now: 1) == .proceed([p1]))
        #expect(cache.session(groupId: "g", memberId: "a")?.epoch == 1)
        _ = cache.fetch(groupId: "g", memberId: "b", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 1)
        #expect(cache.fetch(groupId: "g", memberId: "c", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 1) == .refused(.shareSessionLimitReached))
        cache.remove(groupId: "g", memberId: "b")
        #expect(cache.fetch(groupId: "g", memberId: "c", epoch: 0, adding: [p0], forgetting: [], hasAcknowledgements: false, now: 2) == .proceed([p0]))
        #expect(ShareSessionCache.nextEpoch(Int32.max) == 1)
    }
}
