package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * Whatever staff can type into a form leaves the process and stays out of the engine's history
 * (ADR 0031): a free-text field a process owner adds in the Modeler must be named in
 * {@link StaffWordsOutOfHistory#FREE_TEXT}, or this fails.
 */
class StaffFormsFreeTextTest {

    @Test
    void everyFieldStaffCanTypeInIsKeptOutOfHistory() throws IOException {
        List<String> typed = new ArrayList<>();
        try (Stream<Path> forms = Files.list(Path.of("forms"))) {
            for (Path form : forms.filter(p -> p.toString().endsWith(".form")).toList()) {
                collect(new ObjectMapper().readTree(form.toFile()).path("components"), typed);
            }
        }
        assertThat(typed).as("the forms' editable text fields").isNotEmpty()
                .allSatisfy(key -> assertThat(StaffWordsOutOfHistory.FREE_TEXT).as("free text field %s", key).contains(key));
    }

    private static void collect(JsonNode components, List<String> typed) {
        for (JsonNode c : components) {
            String type = c.path("type").asText();
            boolean editable = !c.path("disabled").asBoolean(false) && !c.path("readonly").asBoolean(false);
            if (editable && c.hasNonNull("key") && (type.equals("textarea") || type.equals("textfield"))) {
                typed.add(c.get("key").asText());
            }
            collect(c.path("components"), typed);
        }
    }
}
