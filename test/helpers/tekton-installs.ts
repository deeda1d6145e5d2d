import { markdownSection } from './tekton-manifests';
import type { Install } from './kustomize-build';

/** The image the tests' overlays set, as tekton/README.md's overlay does. */
export const TEST_IMAGES = [
  { name: 'slackline', newName: 'registry.example.com/slackline', newTag: '0.1.0' },
];

/** Every component but HTTPS (which needs an operator's CA) and the Sentinel variant (instead of redis). */
export const EVERYTHING: Install = {
  components: ['components/redis', 'components/example', 'components/slack-direct'],
  images: TEST_IMAGES,
};
export const WITH_HTTPS: Install = {
  ...EVERYTHING,
  components: [...EVERYTHING.components, 'components/https'],
};

/**
 * The combinations of components tekton/README.md's "Install" section documents: each row of its table that
 * names `base`, with the `components/…` it lists. The tests build each one, so the table cannot promise an
 * install that does not build.
 */
export function documentedInstalls(readme: string): { row: string; install: Install }[] {
  return markdownSection(readme, '4[.] Install')
    .split('\n')
    .filter((line) => line.startsWith('|') && line.includes('`base`'))
    .map((row) => ({
      row: row.split('|')[1]?.trim() ?? row,
      install: {
        components: [...row.matchAll(/`(components\/[\w-]+)`/g)].map((m) => m[1] as string),
        images: TEST_IMAGES,
      },
    }));
}
