/**
 * Demo content for local development: "The Harbour Courier", a fictional regional newsroom
 * covering the fictional coastal city of Port Averne. Every person, place, organisation and
 * event is invented. The content itself is data, in src/seed/demo/*.json (article bodies are
 * Markdown); this module only gives it its types.
 */
import authors from "./demo/authors.json";
import topics from "./demo/topics.json";
import articles from "./demo/articles.json";
import liveBlogs from "./demo/live-blogs.json";
import corrections from "./demo/corrections.json";
import type { DemoArticle, DemoAuthor, DemoCorrection, DemoLiveBlog, DemoTopic } from "./demo-content.types";

export const demoAuthors: DemoAuthor[] = authors;
export const demoTopics: DemoTopic[] = topics;
export const demoArticles: DemoArticle[] = articles;
export const demoLiveBlogs: DemoLiveBlog[] = liveBlogs;
export const demoCorrections = corrections as DemoCorrection[];
