/// InitProducerId (key 22) request, v0–4 (flexible from v2: request header v2, compact
/// encodings, tag sections). v5 (KIP-890) is not implemented.
///
/// Layout: `transactional_id` (nullable), `transaction_timeout_ms`, `producer_id` (v3+),
/// `producer_epoch` (v3+).
///
/// `transactionalId` nil = an idempotent (non-transactional) producer: the broker hands out a
/// new producer id with epoch 0 (Kafka does so even when v3+ passes an existing id/epoch). An
/// empty string is *not* nil (Kafka answers INVALID_REQUEST).
public struct InitProducerIdRequest: KafkaRequest, Equatable {
    public typealias Response = InitProducerIdResponse
    public static let apiKey = ApiKey.initProducerId

    /// nil = not transactional.
    public var transactionalId: String?
    /// Only meaningful with a transactional id.
    public var transactionTimeoutMs: Int32
    /// v3+; the producer's current id, -1 = none.
    public var producerId: Int64
    /// v3+; the producer's current epoch, -1 = none.
    public var producerEpoch: Int16

    public init(transactionalId: String? = nil, transactionTimeoutMs: Int32 = 0, producerId: Int64 = -1, producerEpoch: Int16 = -1) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        transactionalId = try reader.readNullableString("transactional_id")
        transactionTimeoutMs = try reader.readInt32()
        if version >= 3 {
            producerId = try reader.readInt64()
            producerEpoch = try reader.readInt16()
        }
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeNullableString(transactionalId)
        writer.writeInt32(transactionTimeoutMs)
        if version >= 3 {
            writer.writeInt64(producerId)
            writer.writeInt16(producerEpoch)
        }
        writer.writeTaggedFields()
    }
}

/// InitProducerId (key 22) response, v0–4 (flexible from v2: response header v1).
///
/// Layout: `throttle_time_ms`, `error_code`, `producer_id`, `producer_epoch`.
///
/// Wire trap: `throttle_time_ms` is the **first** field already in v0 (other APIs add throttle
/// time in v1 or later). A non-null transactional id is answered with error 53 here
/// (transactions are not offered).
public struct InitProducerIdResponse: ProtocolMessage, Equatable {
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    /// -1 on error.
    public var producerId: Int64
    public var producerEpoch: Int16

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, producerId: Int64 = -1, producerEpoch: Int16 = 0) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public init(from reader: inout ProtocolReader, version: Int16) throws(ProtocolError) {
        self.init()
        throttleTimeMs = try reader.readInt32()
        errorCode = ErrorCode(code: try reader.readInt16())
        producerId = try reader.readInt64()
        producerEpoch = try reader.readInt16()
        try reader.readTaggedFields()
    }

    public func encode(to writer: inout ProtocolWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt64(producerId)
        writer.writeInt16(producerEpoch)
        writer.writeTaggedFields()
    }
}
