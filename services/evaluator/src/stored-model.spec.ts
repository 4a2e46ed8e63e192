import { targetAlertRateOf } from './stored-model';

describe('target alert rate of a model', () => {
  it("reads model.json's alertRate, else the contamination it was trained with, else the ONNX metadata's", () => {
    expect(targetAlertRateOf({ alertRate: 0.001, params: { contamination: 0.2 } }, { params: { contamination: 0.3 } })).toBe(0.001);
    expect(targetAlertRateOf({ params: { contamination: 0.002 } }, { params: { contamination: 0.3 } })).toBe(0.002);
    expect(targetAlertRateOf({}, { params: { contamination: 0.003 } })).toBe(0.003);
  });

  it("has none when the model was fitted with sklearn's 'auto' contamination and says nothing else", () => {
    expect(targetAlertRateOf({ params: { contamination: 'auto' } }, { params: { contamination: 'auto' } })).toBeNull();
  });
});
