package cn.kameng.refunddesk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps processes/*.bpmn readable in Camunda Modeler: every diagram plane (the process and each
 * collapsed sub-process, which the Modeler opens by drilling down) fits one screen at 100 %, no
 * sequence flow runs across the screen, every flow node and sequence flow is drawn exactly once, on
 * the plane of the sub-process it belongs to, and the top of refund-dispute.bpmn shows the six steps
 * of the dispute from left to right (docs/adr/0051-dispute-steps-as-collapsed-sub-processes.md).
 * Plain DOM, no engine: it reads the files as the Modeler does.
 */
class ProcessModelLayoutTest {

    /**
     * One 1920 × 1080 screen at 100 %, less a 20 px margin: the extent of a plane's shapes, labels and
     * waypoints. (The Modeler's own panels take more; at "fit to screen" this still reads well above
     * the 80 % zoom where bpmn-js labels stay legible on such a screen.)
     */
    static final int MAX_PLANE_WIDTH = 1900;
    static final int MAX_PLANE_HEIGHT = 1060;
    /** A flow longer than this leaves the screen it starts on, or wanders around one. */
    static final double MAX_FLOW_LENGTH = 1500;

    static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
    static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
    static final String DI = "http://www.omg.org/spec/DD/20100524/DI";

    static final Set<String> FLOW_NODES = Set.of("startEvent", "endEvent", "intermediateCatchEvent",
            "intermediateThrowEvent", "boundaryEvent", "task", "serviceTask", "userTask", "scriptTask", "sendTask",
            "receiveTask", "manualTask", "businessRuleTask", "callActivity", "subProcess", "transaction",
            "adHocSubProcess", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
            "complexGateway");

    /** The dispute's steps, as the top plane of refund-dispute.bpmn shows them, left to right. */
    static final List<String> DISPUTE_STEPS = List.of("subProcess_intake", "subProcess_merchantContact",
            "subProcess_formalReview", "subProcess_arbitration", "subProcess_refund", "subProcess_closing");

    static Stream<Path> models() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("processes"), "*.bpmn")) {
            dir.forEach(files::add);
        }
        assertThat(files).as("processes/*.bpmn").isNotEmpty();
        return files.stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyPlaneFitsOneScreenAndNoFlowRunsAcrossIt(Path file) throws Exception {
        Model model = Model.read(file);
        SoftAssertions softly = new SoftAssertions();
        for (Plane plane : model.planes) {
            softly.assertThat(plane.width()).as("%s: width of the plane of %s (%s)", file, plane.element, plane.extent())
                    .isLessThanOrEqualTo(MAX_PLANE_WIDTH);
            softly.assertThat(plane.height()).as("%s: height of the plane of %s (%s)", file, plane.element, plane.extent())
                    .isLessThanOrEqualTo(MAX_PLANE_HEIGHT);
            plane.flowLengths.forEach((flow, length) -> softly.assertThat(length)
                    .as("%s: waypoint path length of sequence flow %s", file, flow)
                    .isLessThanOrEqualTo(MAX_FLOW_LENGTH));
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyFlowNodeAndSequenceFlowIsDrawnOnceOnThePlaneOfItsSubProcess(Path file) throws Exception {
        Model model = Model.read(file);
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String> e : model.containerOf.entrySet()) {
            String id = e.getKey();
            List<String> planes = model.planesDrawing.getOrDefault(id, List.of());
            softly.assertThat(planes).as("%s: planes with DI for %s", file, id).hasSize(1);
            if (planes.size() == 1) {
                softly.assertThat(planes.get(0)).as("%s: plane of %s", file, id).isEqualTo(model.expectedPlane(id));
            }
        }
        softly.assertAll();
    }

    @Test
    void theTopOfTheRefundDisputeShowsItsSixStepsLeftToRight() throws Exception {
        Model model = Model.read(Path.of("processes", "refund-dispute.bpmn"));
        Plane top = model.planes.stream().filter(p -> p.element.equals("refundDispute")).findFirst().orElseThrow();

        assertThat(top.shapes.keySet()).as("steps drawn on the top plane").containsAll(DISPUTE_STEPS);
        for (String step : DISPUTE_STEPS) {
            assertThat(model.tags.get(step)).as(step).isEqualTo("subProcess");
            assertThat(top.expanded.get(step)).as("%s is collapsed on the top plane", step).isFalse();
            assertThat(model.planes).as("%s opens on a plane of its own", step).anyMatch(p -> p.element.equals(step));
        }
        List<Double> x = DISPUTE_STEPS.stream().map(s -> top.shapes.get(s)[0]).toList();
        assertThat(x).as("x of the steps, in the order of the dispute").isSorted();
    }

    // ------------------------------------------------------------------ reading BPMN DI

    record Model(Map<String, String> containerOf, Map<String, String> tags, List<Plane> planes,
            Map<String, List<String>> planesDrawing) {

        static Model read(Path file) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(file.toFile());

            Map<String, String> containerOf = new LinkedHashMap<>();
            Map<String, String> tags = new HashMap<>();
            NodeList processes = doc.getElementsByTagNameNS(BPMN, "process");
            for (int i = 0; i < processes.getLength(); i++) {
                Element process = (Element) processes.item(i);
                collect(process, process.getAttribute("id"), containerOf, tags);
            }

            List<Plane> planes = new ArrayList<>();
            Map<String, List<String>> drawing = new HashMap<>();
            NodeList planeNodes = doc.getElementsByTagNameNS(BPMNDI, "BPMNPlane");
            for (int i = 0; i < planeNodes.getLength(); i++) {
                Plane plane = Plane.read((Element) planeNodes.item(i));
                planes.add(plane);
                Stream.concat(plane.shapes.keySet().stream(), plane.flowLengths.keySet().stream())
                        .forEach(id -> drawing.computeIfAbsent(id, k -> new ArrayList<>()).add(plane.element));
            }
            assertThat(planes).as("%s has a diagram", file).isNotEmpty();
            return new Model(containerOf, tags, planes, drawing);
        }

        private static void collect(Element container, String containerId, Map<String, String> containerOf,
                Map<String, String> tags) {
            for (Node n = container.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element el && BPMN.equals(el.getNamespaceURI())) {
                    String tag = el.getLocalName();
                    if (FLOW_NODES.contains(tag) || tag.equals("sequenceFlow")) {
                        containerOf.put(el.getAttribute("id"), containerId);
                        tags.put(el.getAttribute("id"), tag);
                    }
                    if (tag.equals("subProcess") || tag.equals("transaction") || tag.equals("adHocSubProcess")) {
                        collect(el, el.getAttribute("id"), containerOf, tags);
                    }
                }
            }
        }

        /** The plane an element belongs on: its nearest enclosing container that has a plane of its own. */
        String expectedPlane(String id) {
            Set<String> withPlane = new java.util.HashSet<>();
            planes.forEach(p -> withPlane.add(p.element));
            String container = containerOf.get(id);
            while (!withPlane.contains(container) && containerOf.containsKey(container)) {
                container = containerOf.get(container);
            }
            return container;
        }
    }

    static final class Plane {
        final String element;
        /** id → x, y, width, height */
        final Map<String, double[]> shapes = new LinkedHashMap<>();
        final Map<String, Boolean> expanded = new HashMap<>();
        final Map<String, Double> flowLengths = new LinkedHashMap<>();
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;

        private Plane(String element) {
            this.element = element;
        }

        static Plane read(Element planeElement) {
            Plane plane = new Plane(planeElement.getAttribute("bpmnElement"));
            NodeList shapes = planeElement.getElementsByTagNameNS(BPMNDI, "BPMNShape");
            for (int i = 0; i < shapes.getLength(); i++) {
                Element shape = (Element) shapes.item(i);
                plane.shapes.put(shape.getAttribute("bpmnElement"), plane.include(firstChild(shape, DC, "Bounds")));
                plane.expanded.put(shape.getAttribute("bpmnElement"), "true".equals(shape.getAttribute("isExpanded")));
                includeLabel(plane, shape);
            }
            NodeList edges = planeElement.getElementsByTagNameNS(BPMNDI, "BPMNEdge");
            for (int i = 0; i < edges.getLength(); i++) {
                Element edge = (Element) edges.item(i);
                NodeList points = edge.getElementsByTagNameNS(DI, "waypoint");
                double length = 0;
                for (int j = 0; j < points.getLength(); j++) {
                    Element p = (Element) points.item(j);
                    double x = num(p, "x"), y = num(p, "y");
                    plane.include(x, y);
                    if (j > 0) {
                        Element q = (Element) points.item(j - 1);
                        length += Math.hypot(x - num(q, "x"), y - num(q, "y"));
                    }
                }
                plane.flowLengths.put(edge.getAttribute("bpmnElement"), length);
                includeLabel(plane, edge);
            }
            return plane;
        }

        private static void includeLabel(Plane plane, Element di) {
            Element label = firstChild(di, BPMNDI, "BPMNLabel");
            if (label != null && firstChild(label, DC, "Bounds") != null) {
                plane.include(firstChild(label, DC, "Bounds"));
            }
        }

        private double[] include(Element bounds) {
            double x = num(bounds, "x"), y = num(bounds, "y"), w = num(bounds, "width"), h = num(bounds, "height");
            include(x, y);
            include(x + w, y + h);
            return new double[] {x, y, w, h};
        }

        private void include(double x, double y) {
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }

        double width() {
            return shapes.isEmpty() && flowLengths.isEmpty() ? 0 : maxX - minX;
        }

        double height() {
            return shapes.isEmpty() && flowLengths.isEmpty() ? 0 : maxY - minY;
        }

        String extent() {
            return String.format("x %.0f..%.0f, y %.0f..%.0f", minX, maxX, minY, maxY);
        }

        private static Element firstChild(Element parent, String ns, String name) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element el && ns.equals(el.getNamespaceURI()) && name.equals(el.getLocalName())) {
                    return el;
                }
            }
            return null;
        }

        private static double num(Element el, String attribute) {
            return Double.parseDouble(el.getAttribute(attribute));
        }
    }
}
