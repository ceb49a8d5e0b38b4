package trainwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The parser's side of the bounds property: in-bounds configs parse and round-trip, each just-outside config is refused naming its field. */
class ConfigBoundsTest {
    static final Path NO_DATA = Path.of("no-data-dir");

    @Test
    void three_hundred_seeded_configs_inside_the_documented_bounds_parse_and_round_trip() throws ConfigException {
        InBoundsConfigs gen = new InBoundsConfigs(20261129);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String json = gen.next();
            RunConfig c;
            try {
                c = ConfigParser.parse(json, NO_DATA);
            } catch (ConfigException e) {
                throw new AssertionError("config " + i + " is inside the documented bounds but was refused: " + e.getMessage() + "\n" + json, e);
            }
            assertEquals(c, ConfigParser.parse(ConfigParser.toJson(c), NO_DATA), "round trip of " + json);
            seen.add(c.optimizer().type() + "/" + c.schedule().type());
        }
        assertEquals(35, seen.size(), "every optimizer meets every schedule: " + seen);
    }

    @Test
    void each_config_just_outside_a_bound_is_refused_and_the_first_error_names_its_field() {
        for (OutOfBoundsConfigs.Case c : OutOfBoundsConfigs.all()) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(c.json(), NO_DATA), c.json());
            assertEquals(c.field(), e.errors().get(0).field(), c.json() + " -> " + e.errors());
        }
    }
}
