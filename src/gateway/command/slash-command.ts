/** The fields of a slash command that the gateway uses (Slack sends them as a flat form). */
export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  user_name?: string;
  team_id?: string;
  channel_id?: string;
  response_url?: string;
  trigger_id?: string;
}
