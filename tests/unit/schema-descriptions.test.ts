/**
 * GraphiQL's docs are the API's manual: every type, root field, field,
 * argument, input field and enum value of the committed schema carries a
 * description. Adding one without fails here, naming it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse } from "graphql";
import type { DefinitionNode, FieldDefinitionNode, InputValueDefinitionNode, StringValueNode } from "graphql";

const ROOT_TYPES = new Set(["Query", "Mutation", "Subscription"]);

/** Every schema element without a description, as `Type`, `Type.field`, `Type.field(arg:)` or `Enum.VALUE`. */
function undescribed(sdl: string): string[] {
  const missing: string[] = [];
  const blank = (description: StringValueNode | undefined) => !description?.value.trim();
  const args = (owner: string, list: readonly InputValueDefinitionNode[] | undefined) => {
    for (const arg of list ?? []) if (blank(arg.description)) missing.push(`${owner}(${arg.name.value}:)`);
  };
  const fields = (type: string, list: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] | undefined) => {
    for (const field of list ?? []) {
      const name = `${type}.${field.name.value}`;
      if (blank(field.description)) missing.push(name);
      if (field.kind === Kind.FIELD_DEFINITION) args(name, field.arguments);
    }
  };
  for (const def of parse(sdl).definitions as DefinitionNode[]) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
        // The root types are only containers; their fields are what the docs list.
        if (!ROOT_TYPES.has(def.name.value) && blank(def.description)) missing.push(def.name.value);
        fields(def.name.value, def.fields);
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        if (blank(def.description)) missing.push(def.name.value);
        fields(def.name.value, def.fields);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
        if (blank(def.description)) missing.push(def.name.value);
        for (const value of def.values ?? []) {
          if (blank(value.description)) missing.push(`${def.name.value}.${value.name.value}`);
        }
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
        if (blank(def.description)) missing.push(def.name.value);
        break;
      default:
        break;
    }
  }
  return missing;
}

test("the checker finds each kind of missing description", () => {
  const sdl = `
    type Query { a(x: Int): T }
    """T"""
    type T { b: Int }
    input I { c: Int }
    enum E { V }
    scalar S
  `;
  expect(undescribed(sdl)).toEqual(["Query.a", "Query.a(x:)", "T.b", "I", "I.c", "E", "E.V", "S"]);
});

test("every element of schema/schema.graphql has a description", () => {
  const sdl = readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8");
  expect(undescribed(sdl)).toEqual([]);
});
