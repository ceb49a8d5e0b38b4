package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import trainwatch.json.Json;

/** The checker behind WireShapeTest can fail: an extra key at any depth, in arrays too, is named with its path. */
class ApiDocsTest {
    static final List<String> DOC = List.of(
            "## Things",
            "```json",
            "[{\"id\": \"a\", \"inner\": {\"x\": 1}, \"rows\": [{\"k\": 1}], \"latest\": {\"loss\": 1}}]",
            "```",
            "## Messages",
            "```json",
            "{\"type\": \"hello\", \"seq\": 1}",
            "{\"type\": \"bye\", \"why\": \"\"}",
            "```");

    @Test
    void extra_keys_are_named_by_path_and_data_keyed_maps_are_free() throws Exception {
        ApiDocs docs = ApiDocs.of(DOC);
        String real = "[{\"id\": \"b\", \"inner\": {\"x\": 2, \"y\": 3}, \"rows\": [{\"k\": 1}, {\"k\": 2, \"camelCase\": 1}],"
                + " \"latest\": {\"lr/layer0\": 1}, \"extra\": 0}]";
        assertEquals(List.of("r[0].inner.y", "r[0].rows[1].camelCase", "r[0].extra"),
                ApiDocs.undocumented(Json.tree(real), docs.shape("## Things", null), "r"));
    }

    @Test
    void a_message_is_held_against_the_examples_of_its_own_type() throws Exception {
        ApiDocs docs = ApiDocs.of(DOC);
        assertEquals(List.of(), ApiDocs.undocumented(Json.tree("{\"type\": \"hello\", \"seq\": 4}"), docs.shape("## Messages", "hello"), "m"));
        assertEquals(List.of("m.why"), ApiDocs.undocumented(Json.tree("{\"type\": \"hello\", \"why\": \"x\"}"), docs.shape("## Messages", "hello"), "m"));
    }
}
