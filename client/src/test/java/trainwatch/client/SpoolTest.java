package trainwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @Test
    void records_read_back_in_order_from_any_seq_in_batches(@TempDir Path dir) {
        try (Spool s = new Spool(dir.resolve("a.spool"))) {
            for (int i = 0; i < 5000; i++) assertEquals(i, s.append("{\"i\":" + i + ",\"text\":\"caf\u00e9 \\\"q\\\"\"}"));
            for (long from : new long[] {0, 1, 255, 256, 257, 4095, 4999}) {
                List<Spool.Line> got = s.read(from, 700, 1 << 20);
                assertEquals(Math.min(700, 5000 - from), got.size(), "from " + from);
                for (int k = 0; k < got.size(); k++) {
                    assertEquals(from + k, got.get(k).seq());
                    assertEquals("{\"i\":" + (from + k) + ",\"text\":\"caf\u00e9 \\\"q\\\"\"}", got.get(k).json());
                }
            }
            assertTrue(s.read(5000, 10, 1 << 20).isEmpty());
        }
    }

    @Test
    void json_keeps_non_finite_numbers_as_the_strings_the_server_reads() {
        assertEquals("\"NaN\"", JsonText.number(Double.NaN));
        assertEquals("\"-Infinity\"", JsonText.number(Double.NEGATIVE_INFINITY));
        assertEquals("2.0", JsonText.number(2));
        assertEquals(0.1, Double.parseDouble(JsonText.number(0.1)));
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", List.of(1, 2));
        m.put("b", "x\ny");
        m.put("c", null);
        m.put("d", true);
        assertEquals("{\"a\":[1,2],\"b\":\"x\\ny\",\"c\":null,\"d\":true}", JsonText.value(m));
        assertEquals(126L, JsonText.longField("{\"next\": 126, \"stop\": false}", "next"));
        assertEquals("tw\"k", JsonText.stringField("{\"id\":\"x\",\"key\":\"tw\\\"k\"}", "key"));
    }
}
