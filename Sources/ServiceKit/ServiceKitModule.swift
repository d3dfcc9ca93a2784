/// The worker chassis (being written).
enum ServiceKitModule {}
