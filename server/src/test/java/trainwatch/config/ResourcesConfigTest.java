package trainwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `resources: {"cpu": "2", "memory": "4Gi"}`: optional, Kubernetes quantities, each bad one refused with its field named. */
class ResourcesConfigTest {
    @Test
    void absent_means_none_and_is_not_written_back() throws Exception {
        RunConfig c = ConfigParser.parse("{\"dataset\":\"spiral\"}");
        assertEquals(Resources.NONE, c.resources());
        assertFalse(ConfigParser.toJson(c).contains("resources"));
    }

    @Test
    void cpu_and_memory_are_kept_as_written_and_round_trip() throws Exception {
        RunConfig c = ConfigParser.parse("{\"dataset\":\"spiral\",\"resources\":{\"cpu\":\"500m\",\"memory\":\"4Gi\"}}");
        assertEquals(new Resources("500m", "4Gi"), c.resources());
        assertEquals(c, ConfigParser.parse(ConfigParser.toJson(c)));
        assertEquals(new Resources("2", null), ConfigParser.parse("{\"resources\":{\"cpu\":2}}").resources());
        assertEquals(new Resources(null, "512Mi"), ConfigParser.parse("{\"resources\":{\"memory\":\"512Mi\"}}").resources());
        assertEquals(new Resources("0.5", "1G"), ConfigParser.parse("{\"resources\":{\"cpu\":\"0.5\",\"memory\":\"1G\"}}").resources());
    }

    @Test
    void bad_quantities_and_unknown_keys_are_refused_with_the_field_named() {
        for (String[] bad : new String[][] {
                {"{\"resources\":{\"cpu\":\"two\"}}", "resources.cpu"},
                {"{\"resources\":{\"cpu\":\"0\"}}", "resources.cpu"},
                {"{\"resources\":{\"cpu\":-1}}", "resources.cpu"},
                {"{\"resources\":{\"memory\":\"4GB\"}}", "resources.memory"},
                {"{\"resources\":{\"memory\":true}}", "resources.memory"},
                {"{\"resources\":{\"gpu\":\"1\"}}", "resources.gpu"},
                {"{\"resources\":\"2 cpus\"}", "resources"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(bad[0]), bad[0]);
            assertEquals(bad[1], e.errors().get(0).field(), bad[0]);
            if (!bad[1].equals("resources.gpu")) assertTrue(e.getMessage().contains("got"), e.getMessage());
        }
    }
}
