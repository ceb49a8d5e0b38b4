package trainwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `checkpoints: {"keep": N}`: default 3, 1..1000, the field named when wrong, written back with the config. */
class CheckpointsConfigTest {
    @Test
    void keep_defaults_to_three_and_round_trips() throws Exception {
        assertEquals(3, ConfigParser.parse("{\"dataset\":\"spiral\"}").keepCheckpoints());
        RunConfig c = ConfigParser.parse("{\"dataset\":\"spiral\",\"checkpoints\":{\"keep\":7}}");
        assertEquals(7, c.keepCheckpoints());
        assertEquals(c, ConfigParser.parse(ConfigParser.toJson(c)));
    }

    @Test
    void a_bad_keep_or_an_unknown_key_is_refused_with_the_field_named() {
        ConfigException zero = assertThrows(ConfigException.class, () -> ConfigParser.parse("{\"checkpoints\":{\"keep\":0}}"));
        assertEquals("checkpoints.keep", zero.errors().get(0).field());
        assertTrue(zero.getMessage().contains("(got 0)"), zero.getMessage());
        ConfigException text = assertThrows(ConfigException.class, () -> ConfigParser.parse("{\"checkpoints\":{\"keep\":\"all\"}}"));
        assertEquals("checkpoints.keep", text.errors().get(0).field());
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigParser.parse("{\"checkpoints\":{\"every\":2}}"));
        assertEquals("checkpoints.every", unknown.errors().get(0).field());
        ConfigException notObject = assertThrows(ConfigException.class, () -> ConfigParser.parse("{\"checkpoints\":3}"));
        assertEquals("checkpoints", notObject.errors().get(0).field());
    }
}
