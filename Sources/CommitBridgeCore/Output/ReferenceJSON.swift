/// JSON shapes shared by `parse --json` and the dry-run lines.
public enum ReferenceJSON {
    /// `[{"story":555,"action":"finish"}, …]`
    public static func array(_ references: [StoryReference]) -> JSONValue {
        .array(references.map { .object([("story", .integer($0.story)), ("action", .string($0.action.rawValue))]) })
    }

    /// The `parse --json` object: `{"references":[…],"warnings":[…]}`.
    public static func parseOutput(_ result: ParseResult) -> JSONValue {
        .object([
            ("references", array(result.references)),
            ("warnings", .array(result.warnings.map { .string($0) })),
        ])
    }
}
