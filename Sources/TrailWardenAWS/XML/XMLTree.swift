import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML document as a small tree of elements, enough to read AWS's Query
/// and REST-XML responses and error documents by path.
///
/// AWS responses are small and read once, so building a tree and then
/// looking values up is simpler and easier to get right than a bespoke
/// streaming delegate per response shape. Namespaces are ignored (names are
/// matched as written) and external entities are never resolved.
public struct XMLTree: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    /// The element's own character data (text and CDATA), exactly as written.
    public var text: String
    public var children: [XMLTree]

    public init(name: String, attributes: [String: String] = [:], text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// Why a document could not be parsed; never includes the document itself.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "malformed XML: \(message)" }
    }

    /// Parses `bytes` and returns the root element.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> XMLTree {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(message: parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element")
        }
        return root
    }

    /// The first child called `name`.
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child called `name`, in document order.
    public func children(named name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The element reached by following child names from this one.
    public func element(_ path: String...) -> XMLTree? { element(path) }

    public func element(_ path: [String]) -> XMLTree? {
        path.reduce(Optional(self)) { node, name in node?.child(name) }
    }

    /// The text of the element reached by `path`; nil when it is missing.
    public func value(_ path: String...) -> String? { element(path)?.text }

    /// The first element called `name` in a depth-first, document-order walk, this one included.
    public func first(named name: String) -> XMLTree? {
        if self.name == name { return self }
        for child in children {
            if let found = child.first(named: name) { return found }
        }
        return nil
    }
}

/// Collects XMLParser events into an `XMLTree`; used by one parse on one thread.
private final class Builder: NSObject, XMLParserDelegate {
    private var stack = [XMLTree]()
    private(set) var root: XMLTree?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(XMLTree(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let finished = stack.popLast() else { return }
        if stack.isEmpty {
            root = finished
        } else {
            stack[stack.count - 1].children.append(finished)
        }
    }
}
