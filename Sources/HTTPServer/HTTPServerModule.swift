/// The HTTP server module (being written).
enum HTTPServerModule {}
