/**
 * The "ease and effectiveness" process survey, offered on the requests page. The server decides
 * whether to ask (POST /api/surveys/ask records the asking, so the tab and the bot between them ask
 * each person at most once a month) and refuses a second answer within a month.
 */
import { useState } from 'react';
import { Button, Field, Radio, RadioGroup, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError, errorMessage, useApi } from '../api';
import { Notice, useLoad } from './common';

const RATINGS = ['1', '2', '3', '4', '5'] as const;

const useStyles = makeStyles({
  box: {
    padding: tokens.spacingVerticalM,
    marginBottom: tokens.spacingVerticalL,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  heading: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: `0 0 ${tokens.spacingVerticalS}` },
  form: { display: 'grid', gap: tokens.spacingVerticalM, maxWidth: '40em' },
  ratings: { display: 'flex', flexWrap: 'wrap' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

type Stage = 'offered' | 'answering' | 'answered' | 'dismissed';

export function SurveyPrompt() {
  const styles = useStyles();
  const api = useApi();
  // Asked once per visit to the tab; the server answers false when anyone asked in the last month.
  const asked = useLoad(() => api.send<{ ask: boolean }>('POST', '/api/surveys/ask'), 'survey-ask');
  const [stage, setStage] = useState<Stage>('offered');
  const [ease, setEase] = useState('');
  const [effectiveness, setEffectiveness] = useState('');
  const [comments, setComments] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (asked.status !== 'ready' || !asked.data.ask || stage === 'dismissed') return null;

  const send = async () => {
    const missing: Record<string, string> = {};
    if (!ease) missing.easeOfAuthorisation = 'Choose a rating from 1 to 5.';
    if (!effectiveness) missing.effectiveness = 'Choose a rating from 1 to 5.';
    setErrors(missing);
    setFailure(null);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      await api.send('POST', '/api/surveys', { easeOfAuthorisation: Number(ease), effectiveness: Number(effectiveness), ...(comments.trim() ? { comments: comments.trim() } : {}) });
      setStage('answered');
    } catch (error) {
      if (error instanceof ApiError && error.fields) setErrors(error.fields);
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.box} aria-labelledby="survey-heading">
      <h2 className={styles.heading} id="survey-heading">
        How is the authorisation process working for you?
      </h2>
      {stage === 'answered' && (
        <Notice intent="success" title="Thank you">
          Your answers are recorded for the pilot’s evaluation. You will not be asked again for a month.
        </Notice>
      )}
      {stage === 'offered' && (
        <>
          <p>Two ratings and an optional comment help the service director judge the pilot. It takes a minute; you are asked at most once a month.</p>
          <div className={styles.actions}>
            <Button appearance="primary" onClick={() => setStage('answering')}>
              Answer the survey
            </Button>
            <Button onClick={() => setStage('dismissed')}>Not now</Button>
          </div>
        </>
      )}
      {stage === 'answering' && (
        <div className={styles.form}>
          {failure && (
            <Notice intent="error" title="Your answers were not sent">
              {failure}
            </Notice>
          )}
          <Field label="How easy is it to get a check authorised? (1 very hard, 5 very easy)" required validationMessage={errors.easeOfAuthorisation}>
            <RadioGroup className={styles.ratings} layout="horizontal" value={ease} onChange={(_, d) => setEase(d.value)}>
              {RATINGS.map((r) => (
                <Radio key={r} value={r} label={r} />
              ))}
            </RadioGroup>
          </Field>
          <Field label="How effective is the process at making checks proportionate and lawful? (1 not at all, 5 very)" required validationMessage={errors.effectiveness}>
            <RadioGroup className={styles.ratings} layout="horizontal" value={effectiveness} onChange={(_, d) => setEffectiveness(d.value)}>
              {RATINGS.map((r) => (
                <Radio key={r} value={r} label={r} />
              ))}
            </RadioGroup>
          </Field>
          <Field label="Comment (optional)" validationMessage={errors.comments}>
            <Textarea value={comments} onChange={(_, d) => setComments(d.value)} resize="vertical" />
          </Field>
          <div className={styles.actions}>
            <Button appearance="primary" disabledFocusable={busy} onClick={() => void send()}>
              {busy ? 'Sending…' : 'Send answers'}
            </Button>
            <Button disabledFocusable={busy} onClick={() => setStage('dismissed')}>
              Not now
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
