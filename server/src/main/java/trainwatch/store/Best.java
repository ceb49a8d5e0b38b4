package trainwatch.store;

/** A tag's best finite value and the first step that reached it (RunReader.best). */
public record Best(double value, long step) {}
