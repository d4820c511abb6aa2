package cn.kameng.refunddesk.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The models as process owners save them: processes/*.bpmn, processes/*.dmn and forms/*.form, read as files. */
final class Models {

    static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";
    static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");

    private Models() {
    }

    static List<Path> files(String folder, String ending) {
        try (Stream<Path> paths = Files.list(Path.of(folder))) {
            return paths.filter(p -> p.toString().endsWith(ending)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Document xml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    static List<Element> elements(Document doc, String namespace, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS(namespace, localName);
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            result.add((Element) nodes.item(i));
        }
        return result;
    }

    /** Every id attribute of every element of the BPMN files (flow nodes, flows, events, messages...). */
    static Set<String> bpmnIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Path file : files("processes", ".bpmn")) {
            for (Element e : elements(xml(file), "*", "*")) {
                if (!e.getAttribute("id").isEmpty()) {
                    ids.add(e.getAttribute("id"));
                }
            }
        }
        return ids;
    }

    static Set<String> attributeValues(String folder, String ending, String namespace, String element, String attrNs,
            String attribute) {
        Set<String> values = new LinkedHashSet<>();
        for (Path file : files(folder, ending)) {
            for (Element e : elements(xml(file), namespace, element)) {
                String value = attrNs == null ? e.getAttribute(attribute) : e.getAttributeNS(attrNs, attribute);
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** The text of every ${...} expression in the BPMN files, attributes and element text, documentation left out. */
    static List<String> bpmnExpressions() {
        List<String> expressions = new ArrayList<>();
        for (Path file : files("processes", ".bpmn")) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = EXPRESSION.matcher(text.replaceAll("(?s)<bpmn:documentation>.*?</bpmn:documentation>", ""));
            while (m.find()) {
                expressions.add(m.group(1).trim());
            }
        }
        return expressions;
    }

    static JsonNode form(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id of each form (what a user task's camunda:formRef names). */
    static Set<String> formIds() {
        Set<String> ids = new LinkedHashSet<>();
        files("forms", ".form").forEach(f -> ids.add(form(f).path("id").asText()));
        return ids;
    }

    /** Every field key of every form. */
    static Set<String> formKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Path file : files("forms", ".form")) {
            form(file).findValues("key").forEach(k -> keys.add(k.asText()));
        }
        return keys;
    }
}
