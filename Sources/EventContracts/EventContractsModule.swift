/// The coffee-shop event contracts (being written).
enum EventContractsModule {}
