import type { Locator } from '@playwright/test';
import { AppPage } from './app-page';

export type NextStepKind = 'add-source' | 'add-destination' | 'add-job' | 'run-job' | 'add-schedule' | 'resume-schedules' | 'start-scheduler';

/** The first page: a card per job, and what to do next. */
export class HomePage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Home');
  }

  card(jobName: string): Locator {
    return this.page.getByRole('article', { name: `Job ${jobName}` });
  }

  nextSteps(): Locator {
    return this.page.getByRole('region', { name: 'What to do next' });
  }

  nextStep(kind: NextStepKind): Locator {
    return this.nextSteps().getByTestId(`next-step-${kind}`);
  }
}
