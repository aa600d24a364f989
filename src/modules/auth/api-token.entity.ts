import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Author } from "../author/author.entity";
import { Role } from "./role";

/** An API token. Only its SHA-256 is stored; the token itself is shown once, at creation. */
@Entity("api_tokens")
@Index("api_tokens_author_idx", ["authorId"])
export class ApiToken {
  @PrimaryGeneratedColumn({ name: "id" })
  dbId: number;

  @Column()
  authorId: number;

  @Column({ type: "varchar", length: 16 })
  role: Role;

  @Column({ type: "char", length: 64, unique: true })
  tokenHash: string;

  @Column({ type: "text", nullable: true })
  label: string | null;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  revokedAt: Date | null;

  @ManyToOne(() => Author, { onDelete: "CASCADE" })
  @JoinColumn({ name: "author_id" })
  author?: Author;
}
