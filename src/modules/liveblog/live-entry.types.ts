import { connectionType } from "../../shared/pagination";
import { LiveEntry } from "./live-entry.entity";

export const LiveEntryConnection = connectionType(LiveEntry, "LiveEntry");
