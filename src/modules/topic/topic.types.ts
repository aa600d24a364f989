import { connectionType } from "../../shared/pagination";
import { Topic } from "./topic.entity";

export const TopicConnection = connectionType(Topic, "Topic");
