#!/usr/bin/env node
/**
 * Adds a diagram (BPMN DI: bpmndi:BPMNDiagram) to BPMN files that have none,
 * so that Camunda Modeler / bpmn-js can open and show them.
 *
 *   node tools/bpmn-layout.mjs [--force] [--stdout] <file.bpmn>...
 *
 * The file is rewritten in place: the generated bpmndi:BPMNDiagram is
 * inserted before the closing </bpmn:definitions> tag (plus the bpmndi/dc/di
 * namespace declarations on the root element if missing). Everything else in
 * the file - ids, names, expressions, documentation, extensionElements,
 * camunda:* attributes, timer definitions, formatting, comments, CDATA - is
 * left byte for byte as it was. Before writing, the tool re-parses its own
 * output and refuses to write if it has import warnings, if the semantic
 * model differs from the input or if a flow node / sequence flow has no DI.
 *
 * Layout engine: bpmn-auto-layout, plus the following pre/post-processing:
 *  - every (non-event) sub-process is laid out EXPANDED (bpmn-auto-layout
 *    only expands sub-processes whose existing DI says isExpanded="true", and
 *    otherwise draws their children on the root plane on top of each other);
 *  - event sub-processes that are direct children of the process (or of an
 *    event sub-process) are laid out separately and placed as expanded frames
 *    in a row below the main flow (bpmn-auto-layout would put them in column 0
 *    and push the whole main flow to the right);
 *  - missing <bpmn:incoming>/<bpmn:outgoing> (optional for the engine, but
 *    bpmn-auto-layout only follows those) are derived from the sequence
 *    flows, in the scratch copy only (a warning says so);
 *  - each sequence flow from a split to a join is routed through a temporary
 *    dummy node, which avoids a crash / lost elements in bpmn-auto-layout
 *    1.3.0 (bpmn-io/bpmn-auto-layout#151), and merged into one edge after;
 *  - several boundary events on one host are moved apart (1.3.0 lets two
 *    events on a task overlap);
 *  - compensation handlers are put below their compensation boundary event;
 *  - text annotations, associations and data input/output associations, which
 *    bpmn-auto-layout does not lay out, are placed/drawn afterwards; groups
 *    are placed above the diagram (their membership cannot be derived).
 *
 * Not supported (the tool exits with an error): collaborations (pools,
 * message flows), more than one process per file, files with BPMN import
 * warnings. Not laid out (warning, semantic XML kept): lanes. Labels get no
 * explicit bounds (the modeler places them by default). Event sub-processes
 * nested in an embedded sub-process are left to bpmn-auto-layout (expanded,
 * inside the parent, in a row of their own, which widens the parent).
 *
 * Set BPMN_LAYOUT_DEBUG=1 to get the stack trace when bpmn-auto-layout fails.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { env } from 'node:process';

import { BpmnModdle } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';

const require = createRequire(import.meta.url);
const camundaDescriptor = require('camunda-bpmn-moddle/resources/camunda.json');

const USAGE = `Usage: node tools/bpmn-layout.mjs [--force] [--stdout] <file.bpmn>...

Adds a bpmndi:BPMNDiagram (auto layout) to BPMN files without one and
rewrites them in place.

  --force    also re-layout files that already have a diagram (the existing
             diagram is replaced)
  --stdout   print the result instead of rewriting the file
  --help     show this help`;

// layout constants
const ORIGIN = { x: 150, y: 80 };
const EVENT_SUB_GAP_Y = 80; // between main flow and the row of event sub-processes
const EVENT_SUB_GAP_X = 50; // between event sub-processes
const EVENT_SUB_PAD = { left: 50, right: 50, top: 40, bottom: 50 };
const EVENT_SUB_MIN = { width: 350, height: 200 };
const EVENT_SUB_MAX_ROW_WIDTH = 1600;
const ANNOTATION_WIDTH = 120;

class LayoutError extends Error {}

// helpers /////////////////////////////////////////////////////////////////

function createModdle(withCamunda = true) {
  return withCamunda ? new BpmnModdle({ camunda: camundaDescriptor }) : new BpmnModdle();
}

/**
 * @param {string} xml
 * @param {boolean} [withCamunda=true] typed camunda:* (false: kept verbatim as generic attributes / elements)
 */
async function parse(xml, withCamunda = true) {
  const moddle = createModdle(withCamunda);
  const { rootElement, warnings, elementsById } = await moddle.fromXML(xml, 'bpmn:Definitions');
  return { moddle, definitions: rootElement, warnings, elementsById };
}

function is(element, type) {
  return !!element && typeof element.$instanceOf === 'function' && element.$instanceOf(type);
}

function isEventSubProcess(element) {
  return is(element, 'bpmn:SubProcess') && !!element.get('triggeredByEvent');
}

function warningText(warning) {
  const id = warning.element && warning.element.id;
  return (id ? `<${id}> ` : '') + String(warning.message).split('\n')[0];
}

function collectSubProcesses(flowElements, result = []) {
  for (const element of flowElements) {
    if (is(element, 'bpmn:SubProcess')) {
      result.push(element);
      collectSubProcesses(element.get('flowElements'), result);
    }
  }
  return result;
}

/** all elements of a container tree (flow elements, artifacts, data associations) */
function collectAll(container, result = []) {
  for (const element of container.get('flowElements') || []) {
    result.push(element);
    if (is(element, 'bpmn:Activity')) {
      result.push(...(element.get('dataInputAssociations') || []));
      result.push(...(element.get('dataOutputAssociations') || []));
    }
    if (is(element, 'bpmn:Event')) {
      result.push(...(element.get('dataInputAssociations') || []));
      result.push(...(element.get('dataOutputAssociations') || []));
    }
    if (is(element, 'bpmn:SubProcess')) {
      collectAll(element, result);
    }
  }
  result.push(...(container.get('artifacts') || []));
  return result;
}

function needsDi(element) {
  return is(element, 'bpmn:FlowNode') ||
    is(element, 'bpmn:SequenceFlow') ||
    is(element, 'bpmn:DataObjectReference') ||
    is(element, 'bpmn:DataStoreReference') ||
    is(element, 'bpmn:TextAnnotation') ||
    is(element, 'bpmn:Association') ||
    is(element, 'bpmn:DataAssociation') ||
    is(element, 'bpmn:Group');
}

function bboxOf(items) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const add = (x, y) => {
    minX = Math.min(minX, x); minY = Math.min(minY, y);
    maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  };
  for (const item of items) {
    if (item.kind === 'shape') {
      add(item.bounds.x, item.bounds.y);
      add(item.bounds.x + item.bounds.width, item.bounds.y + item.bounds.height);
    } else {
      item.waypoints.forEach(p => add(p.x, p.y));
    }
  }
  if (minX === Infinity) {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function translate(items, dx, dy) {
  for (const item of items) {
    if (item.kind === 'shape') {
      item.bounds.x += dx;
      item.bounds.y += dy;
    } else {
      item.waypoints.forEach(p => { p.x += dx; p.y += dy; });
    }
  }
  return items;
}

function mid(b) {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** point where the line from the centre of b towards p leaves rectangle b */
function dock(b, p) {
  const c = mid(b);
  const dx = p.x - c.x, dy = p.y - c.y;
  if (dx === 0 && dy === 0) {
    return c;
  }
  const sx = dx === 0 ? Infinity : (b.width / 2) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (b.height / 2) / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: Math.round(c.x + dx * s), y: Math.round(c.y + dy * s) };
}

function straightEdge(sourceBounds, targetBounds) {
  return [ dock(sourceBounds, mid(targetBounds)), dock(targetBounds, mid(sourceBounds)) ];
}

function overlaps(a, b, margin = 0) {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin &&
    a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}

/**
 * Adds sequence flows missing from the incoming / outgoing lists of their
 * source and target; returns the flow nodes that were incomplete.
 */
function completeFlowRefs(elements) {
  const incomplete = new Set();

  for (const flow of elements.filter(e => is(e, 'bpmn:SequenceFlow'))) {
    const { sourceRef, targetRef } = flow;

    if (sourceRef && !sourceRef.get('outgoing').includes(flow)) {
      sourceRef.get('outgoing').push(flow);
      incomplete.add(sourceRef);
    }

    if (targetRef && !targetRef.get('incoming').includes(flow)) {
      targetRef.get('incoming').push(flow);
      incomplete.add(targetRef);
    }
  }

  return [ ...incomplete ];
}

const SCRATCH_PREFIX = '__layout_';

/**
 * Work-around for bpmn-auto-layout 1.3.0 (bpmn-io/bpmn-auto-layout#151):
 * it throws ("Cannot read properties of undefined (reading 'splice')") or
 * loses elements when a split lists a join that still waits for other
 * incoming flows among its targets. In the scratch copy every sequence flow
 * from a split (> 1 outgoing) to a join (> 1 incoming) is routed through a
 * dummy event, which is removed again after the layout.
 *
 * @return {Map<string, { dummyId, flowId }>} by id of the original flow
 */
function insertSplitJoinDummies(moddle, containers) {
  const result = new Map();
  let n = 0;

  for (const container of containers) {
    const flows = container.get('flowElements').filter(e => is(e, 'bpmn:SequenceFlow'));

    for (const flow of flows) {
      const { sourceRef: source, targetRef: target } = flow;

      if (!source || !target || source.get('outgoing').length < 2 || target.get('incoming').length < 2) {
        continue;
      }

      n++;
      const dummy = moddle.create('bpmn:IntermediateThrowEvent', { id: `${SCRATCH_PREFIX}dummy_${n}` });
      const second = moddle.create('bpmn:SequenceFlow', {
        id: `${SCRATCH_PREFIX}flow_${n}`,
        sourceRef: dummy,
        targetRef: target
      });

      const incoming = target.get('incoming');
      incoming.splice(incoming.indexOf(flow), 1, second);

      flow.targetRef = dummy;
      dummy.get('incoming').push(flow);
      dummy.get('outgoing').push(second);

      container.get('flowElements').push(dummy, second);

      result.set(flow.id, { dummyId: dummy.id, flowId: second.id });
    }
  }

  return result;
}

function boundsOfShape(parsed, elementId) {
  for (const diagram of parsed.definitions.get('diagrams')) {
    for (const di of diagram.plane.get('planeElement')) {
      if (di.bpmnElement && di.bpmnElement.id === elementId && di.bounds) {
        return di.bounds;
      }
    }
  }
  throw new LayoutError(`internal error: no shape for <${elementId}>`);
}

/** drop repeated and collinear waypoints */
function simplify(points) {
  const result = [];

  for (const p of points.map(p => ({ x: Math.round(p.x), y: Math.round(p.y) }))) {
    const last = result[result.length - 1];
    if (last && last.x === p.x && last.y === p.y) {
      continue;
    }
    const before = result[result.length - 2];
    if (before && last && ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y))) {
      result[result.length - 1] = p;
      continue;
    }
    result.push(p);
  }

  return result;
}

// layout //////////////////////////////////////////////////////////////////

/**
 * Lays out the direct content of one container (the process or an event
 * sub-process) with bpmn-auto-layout; nested event sub-processes of the
 * container are laid out recursively and placed below.
 *
 * @return {Promise<Array>} plain DI items, normalised to start at (0, 0)
 */
async function layoutContainer(sourceXml, processId, containerId) {

  // work on a scratch copy of the model
  const { moddle, definitions, elementsById } = await parse(sourceXml, false);

  const process = elementsById[processId];
  const container = elementsById[containerId];

  // bpmn-auto-layout follows <bpmn:incoming>/<bpmn:outgoing>, which are
  // optional for the engine: derive missing ones from the sequence flows
  completeFlowRefs(Object.values(elementsById));

  const flowElements = [ ...container.get('flowElements') ];
  const eventSubProcesses = flowElements.filter(isEventSubProcess);
  const mainElements = flowElements.filter(element => !isEventSubProcess(element));

  // only the main flow of the container is given to bpmn-auto-layout
  process.set('flowElements', mainElements);
  process.set('laneSets', []);
  process.set('artifacts', []);
  definitions.set('rootElements', definitions.get('rootElements')
    .filter(element => element === process || !is(element, 'bpmn:Process')));

  const splitJoins = insertSplitJoinDummies(moddle, [ process, ...collectSubProcesses(mainElements) ]);

  // stub DI marking every sub-process as expanded
  const stubShapes = collectSubProcesses(mainElements).map((subProcess, index) => moddle.create('bpmndi:BPMNShape', {
    id: `__layout_stub_${index}`,
    bpmnElement: subProcess,
    isExpanded: true,
    bounds: moddle.create('dc:Bounds', { x: 0, y: 0, width: 100, height: 80 })
  }));

  definitions.set('diagrams', [
    moddle.create('bpmndi:BPMNDiagram', {
      id: '__layout_stub_diagram',
      plane: moddle.create('bpmndi:BPMNPlane', {
        id: '__layout_stub_plane',
        bpmnElement: process,
        planeElement: stubShapes
      })
    })
  ]);

  const { xml: scratchXml } = await moddle.toXML(definitions);

  let laidOutXml;
  try {
    laidOutXml = await layoutProcess(scratchXml);
  } catch (error) {
    throw new LayoutError(`bpmn-auto-layout failed on <${containerId}>: ${error.message}` + (env.BPMN_LAYOUT_DEBUG ? `\n${error.stack}` : ''));
  }

  const laidOut = await parse(laidOutXml, false);

  if (laidOut.warnings.length) {
    throw new LayoutError(`bpmn-auto-layout produced invalid XML for <${containerId}>: ` +
      laidOut.warnings.map(warningText).join('; '));
  }

  const items = [];
  const waypointsById = new Map();

  for (const diagram of laidOut.definitions.get('diagrams')) {
    for (const di of diagram.plane.get('planeElement')) {
      if (is(di, 'bpmndi:BPMNEdge')) {
        waypointsById.set(di.bpmnElement.id, di.get('waypoint').map(p => ({ x: Math.round(p.x), y: Math.round(p.y) })));
      }
    }
  }

  for (const diagram of laidOut.definitions.get('diagrams')) {
    for (const di of diagram.plane.get('planeElement')) {
      const element = di.bpmnElement;

      if (element.id.startsWith(SCRATCH_PREFIX)) {
        continue;
      }

      if (is(di, 'bpmndi:BPMNShape')) {

        // bpmn-auto-layout also creates shapes for bpmn:DataObject, which has no DI
        if (!(is(element, 'bpmn:FlowNode') || is(element, 'bpmn:DataObjectReference') || is(element, 'bpmn:DataStoreReference'))) {
          continue;
        }

        const { x, y, width, height } = di.bounds;

        items.push({
          kind: 'shape',
          elementId: element.id,
          bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) },
          isExpanded: is(element, 'bpmn:SubProcess') ? true : undefined,
          isMarkerVisible: is(element, 'bpmn:ExclusiveGateway') ? true : undefined
        });
      } else if (is(di, 'bpmndi:BPMNEdge')) {

        if (!is(element, 'bpmn:SequenceFlow')) {
          continue;
        }

        let waypoints = waypointsById.get(element.id);

        // split -> dummy -> join: one edge through the dummy's centre
        const splitJoin = splitJoins.get(element.id);
        if (splitJoin) {
          const second = waypointsById.get(splitJoin.flowId);
          const centre = mid(boundsOfShape(laidOut, splitJoin.dummyId));
          waypoints = simplify([ ...waypoints.slice(0, -1), centre, ...second.slice(1) ]);
        }

        items.push({ kind: 'edge', elementId: element.id, waypoints });
      }
    }
  }

  const mainBox = bboxOf(items);
  translate(items, -mainBox.x, -mainBox.y);

  // event sub-processes: one row (wrapping) below the main flow
  let x = 0;
  let y = items.length ? mainBox.height + EVENT_SUB_GAP_Y : 0;
  let rowHeight = 0;
  const maxRowWidth = Math.max(mainBox.width, EVENT_SUB_MAX_ROW_WIDTH);

  for (const eventSubProcess of eventSubProcesses) {
    const inner = await layoutContainer(sourceXml, processId, eventSubProcess.id);
    const innerBox = bboxOf(inner);

    const width = Math.max(innerBox.width + EVENT_SUB_PAD.left + EVENT_SUB_PAD.right, EVENT_SUB_MIN.width);
    const height = Math.max(innerBox.height + EVENT_SUB_PAD.top + EVENT_SUB_PAD.bottom, EVENT_SUB_MIN.height);

    if (x > 0 && x + width > maxRowWidth) {
      x = 0;
      y += rowHeight + EVENT_SUB_GAP_X;
      rowHeight = 0;
    }

    items.push({
      kind: 'shape',
      elementId: eventSubProcess.id,
      bounds: { x, y, width, height },
      isExpanded: true
    });

    translate(inner,
      x + Math.round((width - innerBox.width) / 2),
      y + EVENT_SUB_PAD.top + Math.round((height - EVENT_SUB_PAD.top - EVENT_SUB_PAD.bottom - innerBox.height) / 2));
    items.push(...inner);

    x += width + EVENT_SUB_GAP_X;
    rowHeight = Math.max(rowHeight, height);
  }

  return items;
}

/**
 * bpmn-auto-layout spaces boundary events evenly on the lower edge of their
 * host, so two of them overlap on a task: move them apart (as far as the
 * edge is wide) and take the start of their outgoing flows along.
 */
function spreadBoundaryEvents(process, items) {
  const shapes = new Map(items.filter(i => i.kind === 'shape').map(i => [ i.elementId, i ]));
  const edges = new Map(items.filter(i => i.kind === 'edge').map(i => [ i.elementId, i ]));
  const GAP = 8;

  const byHost = new Map();
  for (const element of collectAll(process)) {
    if (is(element, 'bpmn:BoundaryEvent') && element.attachedToRef && shapes.has(element.id) && shapes.has(element.attachedToRef.id)) {
      const list = byHost.get(element.attachedToRef.id) || [];
      list.push(element);
      byHost.set(element.attachedToRef.id, list);
    }
  }

  for (const [ hostId, boundaryEvents ] of byHost) {
    if (boundaryEvents.length < 2) {
      continue;
    }

    const host = shapes.get(hostId).bounds;
    const shapeItems = boundaryEvents.map(e => shapes.get(e.id)).sort((a, b) => a.bounds.x - b.bounds.x);
    const size = shapeItems[0].bounds.width;
    const total = shapeItems.length * size + (shapeItems.length - 1) * GAP;

    if (total > host.width) {
      continue; // does not fit; keep the even spacing
    }

    const start = host.x + Math.round((host.width - total) / 2);

    shapeItems.forEach((item, index) => {
      const dx = start + index * (size + GAP) - item.bounds.x;
      if (!dx) {
        return;
      }

      const oldMidX = item.bounds.x + item.bounds.width / 2;
      item.bounds.x += dx;

      const boundaryEvent = boundaryEvents.find(e => e.id === item.elementId);
      for (const flow of boundaryEvent.get('outgoing')) {
        const edge = edges.get(flow.id);
        if (!edge || Math.round(edge.waypoints[0].x) !== Math.round(oldMidX)) {
          continue;
        }
        edge.waypoints[0].x += dx;
        if (edge.waypoints[1] && Math.round(edge.waypoints[1].x) === Math.round(oldMidX)) {
          edge.waypoints[1].x += dx;
        }
      }
    });
  }
}

/**
 * Text annotations, associations and data associations (not handled by
 * bpmn-auto-layout).
 */
function layoutArtifacts(process, items, placedGroups = []) {
  const boundsById = new Map(items.filter(i => i.kind === 'shape').map(i => [ i.elementId, i.bounds ]));
  const obstacles = items.filter(i => i.kind === 'shape').map(i => i.bounds);
  const all = collectAll(process);

  const associations = all.filter(e => is(e, 'bpmn:Association'));
  const annotations = all.filter(e => is(e, 'bpmn:TextAnnotation'));

  // compensation handlers (no sequence flows, bpmn-auto-layout puts them in
  // column 0): move them below their compensation boundary event
  for (const association of associations) {
    const boundary = association.sourceRef;
    const handler = association.targetRef;

    if (!is(boundary, 'bpmn:BoundaryEvent') || !boundary.attachedToRef ||
        !(boundary.get('eventDefinitions') || []).some(d => is(d, 'bpmn:CompensateEventDefinition')) ||
        !is(handler, 'bpmn:Activity') || is(handler, 'bpmn:SubProcess') || !handler.get('isForCompensation') ||
        (handler.get('incoming') || []).length || (handler.get('outgoing') || []).length) {
      continue;
    }

    const boundaryBounds = boundsById.get(boundary.id);
    const hostBounds = boundsById.get(boundary.attachedToRef.id);
    const handlerBounds = boundsById.get(handler.id);

    if (!boundaryBounds || !hostBounds || !handlerBounds) {
      continue;
    }

    const target = {
      x: Math.round(boundaryBounds.x + boundaryBounds.width / 2 + 30),
      y: hostBounds.y + hostBounds.height + 50,
      width: handlerBounds.width,
      height: handlerBounds.height
    };

    while (obstacles.some(o => o !== handlerBounds && overlaps(o, target, 20))) {
      target.y += 50;
    }

    Object.assign(handlerBounds, target);
  }

  const annotationHeight = (annotation) => {
    const text = annotation.get('text') || '';
    const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 18)), 0);
    return Math.max(30, lines * 15 + 12);
  };

  const loose = [];

  // annotations connected to a laid out element: above that element
  for (const annotation of annotations) {
    const anchorAssociation = associations.find(a =>
      (a.sourceRef === annotation && a.targetRef && boundsById.has(a.targetRef.id)) ||
      (a.targetRef === annotation && a.sourceRef && boundsById.has(a.sourceRef.id)));

    if (!anchorAssociation) {
      loose.push(annotation);
      continue;
    }

    const anchor = boundsById.get(
      (anchorAssociation.sourceRef === annotation ? anchorAssociation.targetRef : anchorAssociation.sourceRef).id);

    const height = annotationHeight(annotation);
    const bounds = { x: Math.round(anchor.x + anchor.width / 2 + 10), y: anchor.y - height - 40, width: ANNOTATION_WIDTH, height };

    // move up until free
    while (obstacles.some(o => o !== anchor && overlaps(o, bounds, 10))) {
      bounds.y -= 30;
    }

    obstacles.push(bounds);
    boundsById.set(annotation.id, bounds);
    items.push({ kind: 'shape', elementId: annotation.id, bounds });
  }

  // loose annotations and groups (group membership is visual only and cannot
  // be derived; they are to be moved / resized in the modeler): in a row
  // above everything else
  const groups = all.filter(e => is(e, 'bpmn:Group'));
  const top = bboxOf(items).y - 40;
  let looseX = bboxOf(items).x;

  for (const element of [ ...loose, ...groups ]) {
    const isGroup = is(element, 'bpmn:Group');
    const width = isGroup ? 200 : ANNOTATION_WIDTH;
    const height = isGroup ? 100 : annotationHeight(element);
    const bounds = { x: looseX, y: top - height, width, height };

    looseX += width + 20;
    boundsById.set(element.id, bounds);
    items.push({ kind: 'shape', elementId: element.id, bounds });

    if (isGroup) {
      placedGroups.push(element.id);
    }
  }

  for (const association of associations) {
    const source = association.sourceRef && boundsById.get(association.sourceRef.id);
    const target = association.targetRef && boundsById.get(association.targetRef.id);

    if (source && target) {
      items.push({ kind: 'edge', elementId: association.id, waypoints: straightEdge(source, target) });
    }
  }

  // data input / output associations: drawn between data reference and activity
  for (const element of all) {
    if (!(is(element, 'bpmn:Activity') || is(element, 'bpmn:Event'))) {
      continue;
    }

    const elementBounds = boundsById.get(element.id);

    for (const association of element.get('dataInputAssociations') || []) {
      const source = (association.get('sourceRef') || []).map(s => boundsById.get(s.id)).find(Boolean);
      if (source && elementBounds) {
        items.push({ kind: 'edge', elementId: association.id, waypoints: straightEdge(source, elementBounds) });
      }
    }

    for (const association of element.get('dataOutputAssociations') || []) {
      const target = association.targetRef && boundsById.get(association.targetRef.id);
      if (target && elementBounds) {
        items.push({ kind: 'edge', elementId: association.id, waypoints: straightEdge(elementBounds, target) });
      }
    }
  }
}

async function semanticXml(xml) {
  const { moddle, definitions } = await parse(xml, false);
  definitions.set('diagrams', []);

  // declarations of the DI namespaces may differ, everything else must not
  const diNamespaces = Object.values(NS);
  for (const [ key, value ] of Object.entries(definitions.$attrs)) {
    if (key.startsWith('xmlns') && diNamespaces.includes(value)) {
      delete definitions.$attrs[key];
    }
  }

  return (await moddle.toXML(definitions, { format: true })).xml;
}

// text surgery ////////////////////////////////////////////////////////////
//
// The diagram is inserted into the original text, so the semantic part of
// the file stays byte for byte as it was (formatting, comments, CDATA and
// attributes with default values, which a moddle round trip would drop).

const NS = {
  bpmndi: 'http://www.omg.org/spec/BPMN/20100524/DI',
  dc: 'http://www.omg.org/spec/DD/20100524/DC',
  di: 'http://www.omg.org/spec/DD/20100524/DI'
};

function escapeAttr(value) {
  return String(value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** the root element's start tag: { start, end, qname, attrs } */
function findRootStartTag(xml) {
  let i = 0;

  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      throw new LayoutError('no root element found');
    }
    if (xml.startsWith('<?', lt)) {
      i = xml.indexOf('?>', lt) + 2;
    } else if (xml.startsWith('<!--', lt)) {
      i = xml.indexOf('-->', lt) + 3;
    } else if (xml.startsWith('<!', lt)) {
      i = xml.indexOf('>', lt) + 1;
    } else {
      i = lt;
      break;
    }
    if (i < 2) {
      throw new LayoutError('malformed XML prolog');
    }
  }

  let quote = null;
  let end = i + 1;
  for (; end < xml.length; end++) {
    const c = xml[end];
    if (quote) {
      if (c === quote) {
        quote = null;
      }
    } else if (c === '"' || c === '\'') {
      quote = c;
    } else if (c === '>') {
      break;
    }
  }

  const tag = xml.slice(i, end + 1);
  const qname = /^<([^\s/>]+)/.exec(tag)[1];
  const attrs = {};
  for (const match of tag.matchAll(/\s([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    attrs[match[1]] = match[3] !== undefined ? match[3] : match[4];
  }

  return { start: i, end: end + 1, qname, attrs };
}

/**
 * Prefixes to use for the DI namespaces and the declarations missing on the
 * root element.
 */
function resolvePrefixes(rootAttrs) {
  const declared = {};
  for (const [ name, value ] of Object.entries(rootAttrs)) {
    if (name.startsWith('xmlns:')) {
      declared[name.slice(6)] = value;
    }
  }

  const prefixes = {};
  const missing = [];

  for (const [ preferred, uri ] of Object.entries(NS)) {
    let prefix = Object.keys(declared).find(p => declared[p] === uri);

    if (!prefix) {
      prefix = preferred;
      for (let n = 2; declared[prefix] !== undefined; n++) {
        prefix = `${preferred}${n}`;
      }
      declared[prefix] = uri;
      missing.push(`xmlns:${prefix}="${uri}"`);
    }

    prefixes[preferred] = prefix;
  }

  return { prefixes, missing };
}

function removeDiagrams(xml) {
  const root = findRootStartTag(xml);
  const prefixes = new Set([ 'bpmndi' ]);
  for (const [ name, value ] of Object.entries(root.attrs)) {
    if (name.startsWith('xmlns:') && value === NS.bpmndi) {
      prefixes.add(name.slice(6));
    }
  }

  for (const p of prefixes) {
    const e = p.replace(/[.\-]/g, '\\$&');
    xml = xml
      .replace(new RegExp(`[ \\t]*<${e}:BPMNDiagram\\b[^>]*/>[ \\t]*(\\r?\\n)?`, 'g'), '')
      .replace(new RegExp(`[ \\t]*<${e}:BPMNDiagram\\b[\\s\\S]*?</${e}:BPMNDiagram\\s*>[ \\t]*(\\r?\\n)?`, 'g'), '');
  }

  return xml;
}

function renderDi(items, process, ids, { prefixes, indent, eol }) {
  const { bpmndi, dc, di } = prefixes;
  const i1 = indent, i2 = indent.repeat(2), i3 = indent.repeat(3), i4 = indent.repeat(4);
  const num = (n) => String(Math.round(n));
  const lines = [];

  lines.push(`${i1}<${bpmndi}:BPMNDiagram id="${escapeAttr(ids.diagram)}">`);
  lines.push(`${i2}<${bpmndi}:BPMNPlane id="${escapeAttr(ids.plane)}" bpmnElement="${escapeAttr(process.id)}">`);

  for (const item of items.filter(i => i.kind === 'shape')) {
    const extra = (item.isMarkerVisible ? ' isMarkerVisible="true"' : '') + (item.isExpanded ? ' isExpanded="true"' : '');
    const { x, y, width, height } = item.bounds;
    lines.push(`${i3}<${bpmndi}:BPMNShape id="${escapeAttr(item.id)}" bpmnElement="${escapeAttr(item.elementId)}"${extra}>`);
    lines.push(`${i4}<${dc}:Bounds x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" />`);
    lines.push(`${i3}</${bpmndi}:BPMNShape>`);
  }

  for (const item of items.filter(i => i.kind === 'edge')) {
    lines.push(`${i3}<${bpmndi}:BPMNEdge id="${escapeAttr(item.id)}" bpmnElement="${escapeAttr(item.elementId)}">`);
    for (const p of item.waypoints) {
      lines.push(`${i4}<${di}:waypoint x="${num(p.x)}" y="${num(p.y)}" />`);
    }
    lines.push(`${i3}</${bpmndi}:BPMNEdge>`);
  }

  lines.push(`${i2}</${bpmndi}:BPMNPlane>`);
  lines.push(`${i1}</${bpmndi}:BPMNDiagram>`);

  return lines.join(eol) + eol;
}

function insertDi(xml, renderOptions, render) {
  const root = findRootStartTag(xml);
  const { prefixes, missing } = resolvePrefixes(root.attrs);

  const eol = /\r\n/.test(xml) ? '\r\n' : '\n';
  const indentMatch = /\r?\n([ \t]+)</.exec(xml.slice(root.end));
  const indent = indentMatch ? indentMatch[1] : '  ';

  const block = render({ ...renderOptions, prefixes, indent, eol });

  const endTagIndex = xml.lastIndexOf(`</${root.qname}`);
  if (endTagIndex < root.end) {
    throw new LayoutError(`closing tag </${root.qname}> not found`);
  }

  // start of the line holding the end tag, if it is on its own line
  const lineStart = xml.lastIndexOf('\n', endTagIndex - 1) + 1;
  const onOwnLine = /^[ \t]*$/.test(xml.slice(lineStart, endTagIndex));
  const insertAt = onOwnLine ? lineStart : endTagIndex;

  let result = xml.slice(0, insertAt) + (onOwnLine ? '' : eol) + block + xml.slice(insertAt);

  if (missing.length) {
    const tagEnd = root.end - 1; // position of '>'
    result = result.slice(0, tagEnd) + ' ' + missing.join(' ') + result.slice(tagEnd);
  }

  return result;
}

// main ////////////////////////////////////////////////////////////////////

async function layoutFile(xml, { force = false, log = () => {} } = {}) {
  const bom = xml.startsWith('\uFEFF') ? '\uFEFF' : '';
  xml = xml.slice(bom.length);

  // plain BPMN parse: structural problems would make the layout incomplete
  const plain = await new BpmnModdle().fromXML(xml, 'bpmn:Definitions');

  if (plain.warnings.length) {
    throw new LayoutError('the file has BPMN import warnings, fix them first:\n  ' +
      plain.warnings.map(warningText).join('\n  '));
  }

  // camunda-aware parse: unknown camunda:* attributes are only reported
  const { definitions, warnings: camundaWarnings, elementsById } = await parse(xml);

  for (const warning of camundaWarnings) {
    log(`warning: ${warningText(warning)} (kept as is)`);
  }

  const rootElements = definitions.get('rootElements');
  const processes = rootElements.filter(e => is(e, 'bpmn:Process'));
  const collaborations = rootElements.filter(e => is(e, 'bpmn:Collaboration'));

  if (collaborations.length) {
    throw new LayoutError('collaborations (pools / message flows) are not supported; ' +
      'the file must contain one bpmn:process and no bpmn:collaboration');
  }

  if (processes.length !== 1) {
    throw new LayoutError(`exactly one bpmn:process per file is supported, found ${processes.length}`);
  }

  let sourceXml = xml;

  if (definitions.get('diagrams').length) {
    if (!force) {
      throw new LayoutError('the file already has a diagram (bpmndi:BPMNDiagram); use --force to replace it');
    }

    sourceXml = removeDiagrams(xml);

    const check = await new BpmnModdle().fromXML(sourceXml, 'bpmn:Definitions');
    if (check.warnings.length || check.rootElement.get('diagrams').length) {
      throw new LayoutError('could not remove the existing diagram; remove the bpmndi:BPMNDiagram element(s) by hand');
    }
  }

  const process = processes[0];

  const incomplete = completeFlowRefs(Object.values(elementsById));
  if (incomplete.length) {
    log(`warning: ${incomplete.length} flow node(s) lack <bpmn:incoming>/<bpmn:outgoing> for their sequence flows ` +
      `(the engine does not need them, but bpmnlint then reports no-disconnected, no-implicit-start/-end, ` +
      `event-based-gateway, ...): ${incomplete.slice(0, 5).map(e => `<${e.id}>`).join(', ')}${incomplete.length > 5 ? ', ...' : ''}`);
  }

  const items = await layoutContainer(sourceXml, process.id, process.id);

  spreadBoundaryEvents(process, items);

  const placedGroups = [];
  layoutArtifacts(process, items, placedGroups);

  if (placedGroups.length) {
    log('warning: group(s) placed above the diagram, move/resize them in the modeler: ' +
      placedGroups.map(id => `<${id}>`).join(', '));
  }

  const box = bboxOf(items);
  translate(items, ORIGIN.x - box.x, ORIGIN.y - box.y);

  // DI ids: <element id>_di, unique within the semantic model
  const usedIds = new Set(Object.entries(elementsById)
    .filter(([ , element ]) => !/^(bpmndi|di|dc):/.test(element.$type))
    .map(([ id ]) => id));

  const uniqueId = (id) => {
    let candidate = id;
    for (let i = 2; usedIds.has(candidate); i++) {
      candidate = `${id}_${i}`;
    }
    usedIds.add(candidate);
    return candidate;
  };

  for (const item of items) {
    if (!elementsById[item.elementId]) {
      throw new LayoutError(`internal error: laid out unknown element <${item.elementId}>`);
    }
    item.id = uniqueId(`${item.elementId}_di`);
  }

  const ids = {
    diagram: uniqueId(`BPMNDiagram_${process.id}`),
    plane: uniqueId(`BPMNPlane_${process.id}`)
  };

  const result = insertDi(sourceXml, {}, (options) => renderDi(items, process, ids, options));

  // self check //////

  const reparsed = await new BpmnModdle().fromXML(result, 'bpmn:Definitions');

  if (reparsed.warnings.length) {
    throw new LayoutError('internal error: output has import warnings: ' + reparsed.warnings.map(warningText).join('; '));
  }

  if (await semanticXml(sourceXml) !== await semanticXml(result)) {
    throw new LayoutError('internal error: the semantic model changed during layout; file not written');
  }

  const diagrams = reparsed.rootElement.get('diagrams');
  if (diagrams.length !== 1) {
    throw new LayoutError(`internal error: expected one diagram, found ${diagrams.length}`);
  }

  const diCount = new Map();
  for (const di of diagrams[0].plane.get('planeElement')) {
    diCount.set(di.bpmnElement.id, (diCount.get(di.bpmnElement.id) || 0) + 1);
  }

  const duplicates = [ ...diCount ].filter(([ , count ]) => count > 1).map(([ id ]) => id);
  if (duplicates.length) {
    throw new LayoutError('internal error: more than one DI for ' + duplicates.join(', '));
  }

  const missing = collectAll(reparsed.elementsById[process.id]).filter(e => needsDi(e) && !diCount.has(e.id));
  const missingFlow = missing.filter(e => is(e, 'bpmn:FlowNode') || is(e, 'bpmn:SequenceFlow'));

  if (missingFlow.length) {
    throw new LayoutError('internal error: no DI for ' + missingFlow.map(e => `${e.$type} <${e.id}>`).join(', '));
  }

  if (missing.length) {
    log('warning: not laid out (not shown in the modeler, XML kept): ' +
      missing.map(e => `${e.$type} <${e.id}>`).join(', '));
  }

  if ((process.get('laneSets') || []).length) {
    log('warning: lanes are not laid out (lanes need a pool, which is not supported)');
  }

  return bom + result;
}

// cli /////////////////////////////////////////////////////////////////////

async function main(argv) {
  const flags = new Set(argv.filter(a => a.startsWith('--')));
  const files = argv.filter(a => !a.startsWith('--'));

  for (const flag of flags) {
    if (![ '--force', '--stdout', '--help' ].includes(flag)) {
      console.error(`unknown option ${flag}\n\n${USAGE}`);
      return 2;
    }
  }

  if (flags.has('--help')) {
    console.log(USAGE);
    return 0;
  }

  if (!files.length) {
    console.error(USAGE);
    return 2;
  }

  let failed = 0;

  for (const file of files) {
    const log = (message) => console.error(`${file}: ${message}`);

    try {
      const xml = await readFile(file, 'utf8');
      const result = await layoutFile(xml, { force: flags.has('--force'), log });

      if (flags.has('--stdout')) {
        process.stdout.write(result);
      } else {
        await writeFile(file, result, 'utf8');
        console.error(`${file}: diagram written`);
      }
    } catch (error) {
      failed++;
      log(`error: ${error instanceof LayoutError ? error.message : (error && error.stack) || error}`);
    }
  }

  return failed ? 1 : 0;
}

export { layoutFile };

if (process.argv[1] && basename(process.argv[1]) === basename(new URL(import.meta.url).pathname)) {
  process.exitCode = await main(process.argv.slice(2));
}
