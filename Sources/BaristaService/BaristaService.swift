// Placeholder until the service library lands.
